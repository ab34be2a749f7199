"""The Police Department's Alarm Permit Unit sends its letters through the
shared letters system: eight alarm kinds (docs/letters.md). The kind field
grows to 30 characters (``alarm_hearing_scheduled`` is 23), and each alarm
kind gets its shipped English and Spanish wording, frozen here as it stood
when this migration was written, so editing accounts/rules/letter_texts.py
never changes what this migration installs (tests/platform/test_migrations_frozen.py
compares the two). A kind that already has a template keeps it."""

from django.db import migrations, models


def _paragraphs(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


_CALL_ALARMS = (
    "If you have questions, please call the Alarm Permit Unit at 480-644-2699 or "
    "write to us at 130 N Robson, Mesa AZ 85201."
)

# kind: (name, subject, body), in English.
TEMPLATES = {
    "alarm_permit_issued": (
        "Alarm permit issued",
        "Your alarm permit {{ permit_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Thank you for registering your alarm system with the Mesa Police Department. "
            "Your alarm permit for {{ premise_address }} has been issued.",
            "Permit number: {{ permit_number }}\n"
            "Alarm functions: {{ alarm_functions }}\n"
            "Permit expires: {{ expires_on }}\n"
            "Permit fee: {{ fee_total }}\n"
            "Please pay by: {{ due_date }}",
            "Please keep your permit number with your alarm company's information. The "
            "permit is renewed every year, and we will send you a notice before it expires.",
            "A false alarm takes an officer away from a real emergency. Please make sure "
            "everyone who uses the alarm knows how to operate and cancel it, and let us "
            "know when your alarm company or your contact information changes.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_renewal": (
        "Alarm permit renewal",
        "Your alarm permit {{ permit_number }} is due for renewal",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Your alarm permit {{ permit_number }} for {{ premise_address }} expires on "
            "{{ expires_on }}.",
            "To renew it for another year, please pay the renewal fee of {{ fee_total }} by "
            "{{ due_date }}. You may pay in person, by mail or by phone; please give your "
            "permit number.",
            "An alarm without an active permit is charged an extra fee for every false "
            "alarm. If you no longer have an alarm at this address, please let us know so "
            "that we can close the permit.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_false_alarm": (
        "False alarm",
        "False alarm on {{ incident_date }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "The Mesa Police Department responded to an alarm at {{ premise_address }} on "
            "{{ incident_date }} (incident {{ incident_number }}) and found it to be a "
            "false alarm.",
            "Alarm permit: {{ permit_number }}\n"
            "Alarm type: {{ alarm_type }}\n"
            "False alarm in the last 365 days: {{ count_in_window }}\n"
            "False alarm fee: {{ fee }}\n"
            "Fee for an alarm without an active permit: {{ no_permit_fee }}\n"
            "Invoice number: {{ invoice_number }}\n"
            "Please pay by: {{ due_date }}",
            "Another false alarm of this type within 365 days would cost {{ next_fee }}. "
            "Open doors or windows, pets and weak batteries cause most false alarms; your "
            "alarm company can help you find the cause.",
            "If you believe this was not a false alarm, you may appeal in writing, with the "
            "invoice number, by {{ appeal_by }}. You do not need to pay the fee while your "
            "appeal is open.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_suspended": (
        "Alarm permit suspended",
        "Your alarm permit {{ permit_number }} is suspended",
        _paragraphs(
            "Dear {{ customer_name }},",
            "We are sorry to let you know that alarm permit {{ permit_number }} for "
            "{{ premise_address }} was suspended on {{ suspended_on }}.",
            "Reason: {{ reason }}",
            "While the permit is suspended, the alarm at this address has no active "
            "permit, and each false alarm is charged the fee for an alarm without a permit.",
            "Please call us to learn what is needed to reinstate your permit. We will be "
            "glad to help.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_reinstated": (
        "Alarm permit reinstated",
        "Your alarm permit {{ permit_number }} is reinstated",
        _paragraphs(
            "Dear {{ customer_name }},",
            "We are pleased to let you know that alarm permit {{ permit_number }} for "
            "{{ premise_address }} was reinstated on {{ reinstated_on }}. The permit is "
            "active again.",
            "Thank you for taking care of this. Please keep your alarm system in good "
            "repair, and make sure everyone who uses it knows how to operate and cancel it.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_appeal_received": (
        "Alarm appeal received",
        "We received your appeal of invoice {{ invoice_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Thank you for your letter. We received your appeal of false alarm invoice "
            "{{ invoice_number }} (alarm permit {{ permit_number }}) on {{ filed_on }}.",
            "A hearing will be held by {{ hearing_by }}, and we will write to you with its "
            "date, time and place. You do not need to pay the fee under appeal while your "
            "appeal is open.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_hearing_scheduled": (
        "Alarm appeal hearing",
        "Your appeal hearing for invoice {{ invoice_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "The hearing of your appeal of false alarm invoice {{ invoice_number }} "
            "(alarm permit {{ permit_number }}) is scheduled for:",
            "Date: {{ hearing_on }}\nTime: {{ hearing_time }}\nPlace: {{ hearing_place }}",
            "Please bring any records that support your appeal, such as your alarm "
            "company's report. If you cannot attend, please call us before the hearing to "
            "ask for another time.",
            _CALL_ALARMS,
        ),
    ),
    "alarm_appeal_decision": (
        "Alarm appeal decision",
        "Decision on your appeal of invoice {{ invoice_number }}",
        _paragraphs(
            "Dear {{ customer_name }},",
            "Your appeal of false alarm invoice {{ invoice_number }} (alarm permit "
            "{{ permit_number }}) has been decided.",
            "Decision: {{ outcome }}\nReason: {{ reason }}\nAmount due: {{ amount_due }}",
            "If an amount is due, please pay it in person, by mail or by phone, and give "
            "the invoice number. If nothing is due, you do not need to do anything.",
            "Thank you for your patience. " + _CALL_ALARMS,
        ),
    ),
}

_CALL_ALARMS_ES = (
    "Si tiene preguntas, llame a la Unidad de Permisos de Alarma al 480-644-2699 o "
    "escríbanos a 130 N Robson, Mesa AZ 85201."
)

# kind: (subject, body), the Spanish wording of TEMPLATES.
SPANISH = {
    "alarm_permit_issued": (
        "Su permiso de alarma {{ permit_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Gracias por registrar su sistema de alarma con el Departamento de Policía de "
            "Mesa. Se emitió su permiso de alarma para {{ premise_address }}.",
            "Número de permiso: {{ permit_number }}\n"
            "Funciones de alarma: {{ alarm_functions }}\n"
            "El permiso vence el: {{ expires_on }}\n"
            "Cargo del permiso: {{ fee_total }}\n"
            "Pague a más tardar el: {{ due_date }}",
            "Guarde su número de permiso junto con los datos de su compañía de alarmas. "
            "El permiso se renueva cada año, y le enviaremos un aviso antes de que venza.",
            "Una falsa alarma aleja a un agente de una emergencia real. Asegúrese de que "
            "todas las personas que usan la alarma sepan activarla y cancelarla, y "
            "avísenos cuando cambie su compañía de alarmas o sus datos de contacto.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_renewal": (
        "Es hora de renovar su permiso de alarma {{ permit_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Su permiso de alarma {{ permit_number }} para {{ premise_address }} vence el "
            "{{ expires_on }}.",
            "Para renovarlo por otro año, pague el cargo de renovación de {{ fee_total }} a "
            "más tardar el {{ due_date }}. Puede pagar en persona, por correo o por "
            "teléfono; indique su número de permiso.",
            "A una alarma sin permiso vigente se le cobra un cargo adicional por cada "
            "falsa alarma. Si ya no tiene alarma en esta dirección, avísenos para cerrar "
            "el permiso.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_false_alarm": (
        "Falsa alarma del {{ incident_date }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "El Departamento de Policía de Mesa respondió a una alarma en "
            "{{ premise_address }} el {{ incident_date }} (incidente {{ incident_number }}) "
            "y determinó que fue una falsa alarma.",
            "Permiso de alarma: {{ permit_number }}\n"
            "Tipo de alarma: {{ alarm_type }}\n"
            "Falsa alarma en los últimos 365 días: {{ count_in_window }}\n"
            "Cargo por falsa alarma: {{ fee }}\n"
            "Cargo por alarma sin permiso vigente: {{ no_permit_fee }}\n"
            "Número de factura: {{ invoice_number }}\n"
            "Pague a más tardar el: {{ due_date }}",
            "Otra falsa alarma de este tipo dentro de 365 días costaría {{ next_fee }}. "
            "Las puertas o ventanas abiertas, las mascotas y las baterías débiles causan la "
            "mayoría de las falsas alarmas; su compañía de alarmas puede ayudarle a "
            "encontrar la causa.",
            "Si cree que no fue una falsa alarma, puede apelar por escrito, con el número "
            "de factura, a más tardar el {{ appeal_by }}. No necesita pagar el cargo "
            "mientras su apelación esté abierta.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_suspended": (
        "Su permiso de alarma {{ permit_number }} está suspendido",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Lamentamos informarle que el permiso de alarma {{ permit_number }} para "
            "{{ premise_address }} fue suspendido el {{ suspended_on }}.",
            "Motivo: {{ reason }}",
            "Mientras el permiso esté suspendido, la alarma en esta dirección no tiene "
            "permiso vigente, y a cada falsa alarma se le cobra el cargo por alarma sin "
            "permiso.",
            "Llámenos para saber qué se necesita para restablecer su permiso. Con gusto le "
            "ayudaremos.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_reinstated": (
        "Su permiso de alarma {{ permit_number }} fue restablecido",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Nos complace informarle que el permiso de alarma {{ permit_number }} para "
            "{{ premise_address }} fue restablecido el {{ reinstated_on }}. El permiso está "
            "vigente otra vez.",
            "Gracias por atender este asunto. Mantenga su sistema de alarma en buen estado "
            "y asegúrese de que todas las personas que lo usan sepan activarlo y cancelarlo.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_appeal_received": (
        "Recibimos su apelación de la factura {{ invoice_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Gracias por su carta. Recibimos su apelación de la factura por falsa alarma "
            "{{ invoice_number }} (permiso de alarma {{ permit_number }}) el {{ filed_on }}.",
            "Se celebrará una audiencia a más tardar el {{ hearing_by }}, y le escribiremos "
            "con la fecha, la hora y el lugar. No necesita pagar el cargo apelado mientras "
            "su apelación esté abierta.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_hearing_scheduled": (
        "Su audiencia de apelación de la factura {{ invoice_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "La audiencia de su apelación de la factura por falsa alarma "
            "{{ invoice_number }} (permiso de alarma {{ permit_number }}) está programada "
            "para:",
            "Fecha: {{ hearing_on }}\nHora: {{ hearing_time }}\nLugar: {{ hearing_place }}",
            "Traiga cualquier documento que respalde su apelación, como el informe de su "
            "compañía de alarmas. Si no puede asistir, llámenos antes de la audiencia para "
            "pedir otra fecha.",
            _CALL_ALARMS_ES,
        ),
    ),
    "alarm_appeal_decision": (
        "Decisión sobre su apelación de la factura {{ invoice_number }}",
        _paragraphs(
            "Estimado(a) {{ customer_name }}:",
            "Se tomó una decisión sobre su apelación de la factura por falsa alarma "
            "{{ invoice_number }} (permiso de alarma {{ permit_number }}).",
            "Decisión sobre el cargo: {{ outcome }}\nMotivo: {{ reason }}\n"
            "Importe a pagar: {{ amount_due }}",
            "Si hay un importe a pagar, puede pagarlo en persona, por correo o por "
            "teléfono; indique el número de factura. Si no hay nada que pagar, no necesita "
            "hacer nada.",
            "Gracias por su paciencia. " + _CALL_ALARMS_ES,
        ),
    ),
}


def install_alarm_texts(apps, schema_editor):
    LetterTemplate = apps.get_model("accounts", "LetterTemplate")
    for kind, (name, subject, body) in TEMPLATES.items():
        subject_es, body_es = SPANISH[kind]
        LetterTemplate.objects.get_or_create(
            kind=kind,
            defaults={
                "name": name,
                "subject": subject,
                "body": body,
                "subject_es": subject_es,
                "body_es": body_es,
            },
        )


def remove_alarm_texts(apps, schema_editor):
    apps.get_model("accounts", "LetterTemplate").objects.filter(kind__in=list(TEMPLATES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0024_surname_sound_indexes_with_the_surname"),
    ]

    operations = [
        migrations.AlterField(
            model_name="letter",
            name="kind",
            field=models.CharField(
                choices=[
                    ("welcome", "Welcome"),
                    ("deposit_required", "Deposit required"),
                    ("deposit_refund", "Deposit refund"),
                    ("final_bill", "Final bill"),
                    ("general", "General letter"),
                    ("alarm_permit_issued", "Alarm permit issued"),
                    ("alarm_renewal", "Alarm permit renewal"),
                    ("alarm_false_alarm", "False alarm"),
                    ("alarm_suspended", "Alarm permit suspended"),
                    ("alarm_reinstated", "Alarm permit reinstated"),
                    ("alarm_appeal_received", "Alarm appeal received"),
                    ("alarm_hearing_scheduled", "Alarm appeal hearing"),
                    ("alarm_appeal_decision", "Alarm appeal decision"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="letterevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("welcome", "Welcome"),
                    ("deposit_required", "Deposit required"),
                    ("deposit_refund", "Deposit refund"),
                    ("final_bill", "Final bill"),
                    ("general", "General letter"),
                    ("alarm_permit_issued", "Alarm permit issued"),
                    ("alarm_renewal", "Alarm permit renewal"),
                    ("alarm_false_alarm", "False alarm"),
                    ("alarm_suspended", "Alarm permit suspended"),
                    ("alarm_reinstated", "Alarm permit reinstated"),
                    ("alarm_appeal_received", "Alarm appeal received"),
                    ("alarm_hearing_scheduled", "Alarm appeal hearing"),
                    ("alarm_appeal_decision", "Alarm appeal decision"),
                ],
                max_length=30,
            ),
        ),
        migrations.AlterField(
            model_name="lettertemplate",
            name="kind",
            field=models.CharField(
                choices=[
                    ("welcome", "Welcome"),
                    ("deposit_required", "Deposit required"),
                    ("deposit_refund", "Deposit refund"),
                    ("final_bill", "Final bill"),
                    ("general", "General letter"),
                    ("alarm_permit_issued", "Alarm permit issued"),
                    ("alarm_renewal", "Alarm permit renewal"),
                    ("alarm_false_alarm", "False alarm"),
                    ("alarm_suspended", "Alarm permit suspended"),
                    ("alarm_reinstated", "Alarm permit reinstated"),
                    ("alarm_appeal_received", "Alarm appeal received"),
                    ("alarm_hearing_scheduled", "Alarm appeal hearing"),
                    ("alarm_appeal_decision", "Alarm appeal decision"),
                ],
                max_length=30,
                unique=True,
            ),
        ),
        migrations.AlterField(
            model_name="lettertemplateevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("welcome", "Welcome"),
                    ("deposit_required", "Deposit required"),
                    ("deposit_refund", "Deposit refund"),
                    ("final_bill", "Final bill"),
                    ("general", "General letter"),
                    ("alarm_permit_issued", "Alarm permit issued"),
                    ("alarm_renewal", "Alarm permit renewal"),
                    ("alarm_false_alarm", "False alarm"),
                    ("alarm_suspended", "Alarm permit suspended"),
                    ("alarm_reinstated", "Alarm permit reinstated"),
                    ("alarm_appeal_received", "Alarm appeal received"),
                    ("alarm_hearing_scheduled", "Alarm appeal hearing"),
                    ("alarm_appeal_decision", "Alarm appeal decision"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(install_alarm_texts, remove_alarm_texts),
    ]
