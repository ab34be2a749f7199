"""The determinants of the bills issued before 0012 (docs/rate_modelling.md).

Segments written before 0012 did not record what they were priced on besides
their dates and usage; they get what rate modelling read for them until now:
the agreement's containers (1 when it has none), service code and acres, and,
for a metered service, the size of its service point's latest meter. Then the
summary is counted from every issued segment, as
``billing.services.bills.billed_determinants_rebuild`` does (copied here: a
migration does not import live code). One statement each, set-wise: a city's
8 million segments take a minute or two.
"""

from django.db import migrations

SEGMENTS = """
UPDATE billing_billsegment s
   SET quantity = COALESCE(sa.containers, 1),
       service_code = sa.service_code,
       acres = sa.acres,
       meter_size = CASE WHEN s.utility IN ('electric', 'gas', 'water')
                         THEN COALESCE(meter.size, '') ELSE '' END
  FROM accounts_serviceagreement sa
  LEFT JOIN (
      SELECT DISTINCT ON (i.service_point_id) i.service_point_id, m.size
        FROM accounts_meterinstallation i JOIN accounts_meter m ON m.id = i.meter_id
       ORDER BY i.service_point_id, i.installed_on DESC
  ) meter ON meter.service_point_id = sa.service_point_id
 WHERE sa.id = s.service_agreement_id
   AND (COALESCE(sa.containers, 1) <> 1 OR sa.service_code <> '' OR sa.acres IS NOT NULL
        OR (s.utility IN ('electric', 'gas', 'water') AND COALESCE(meter.size, '') <> ''))
"""

SUMMARY = """
INSERT INTO billing_billeddeterminant
       (rate_schedule, "end", days, usage, quantity, service_code, meter_size, acres, segments)
SELECT s.rate_schedule, s."end", s."end" - s.start, s.usage, s.quantity, s.service_code,
       s.meter_size, s.acres, COUNT(*)
  FROM billing_billsegment s JOIN billing_bill b ON b.id = s.bill_id
 WHERE b.status = 'issued'
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
"""


class Migration(migrations.Migration):
    dependencies = [("billing", "0012_billed_determinants")]

    operations = [
        migrations.RunSQL(SEGMENTS, migrations.RunSQL.noop),
        migrations.RunSQL(SUMMARY, "DELETE FROM billing_billeddeterminant"),
    ]
