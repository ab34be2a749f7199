"""Locust users for bench.payments: each is a cashier at their own drawer
posting counter payments and opening the receipt, as fast as they can."""

import itertools
import os
import random
import re

from locust import HttpUser, between, task

CASHIERS = itertools.count(1)
ACCOUNTS = os.environ["BENCH_ACCOUNTS"].split(",")
FIELD = re.compile(r'name="(csrfmiddlewaretoken|key)" value="([^"]+)"')


class Cashier(HttpUser):
    wait_time = between(0.5, 1.5)  # a cashier keys the next payment

    def on_start(self):
        n = next(CASHIERS)
        page = self.client.get("/login/", name="login page")
        token = dict(FIELD.findall(page.text))["csrfmiddlewaretoken"]
        self.client.post(
            "/login/",
            {
                "username": f"bench-cashier-{n:02d}",
                "password": "bench-pass-1",
                "csrfmiddlewaretoken": token,
            },
            name="sign in",
        )
        page = self.client.get("/cashiering/", name="cashiering")
        token = dict(FIELD.findall(page.text))["csrfmiddlewaretoken"]
        source = re.search(
            rf'<option value="(\d+)">Bench drawer {n:02d}</option>', page.text
        ).group(1)
        self.client.post(
            "/cashiering/drawer/open/",
            {"source": source, "opening_float": "200.00", "csrfmiddlewaretoken": token},
            name="open drawer",
        )

    @task
    def take_payment(self):
        page = self.client.get("/cashiering/counter/", name="counter screen")
        fields = dict(FIELD.findall(page.text))
        amount = f"{random.randint(20, 300)}.{random.randint(0, 99):02d}"
        with self.client.post(
            "/cashiering/counter/",
            {
                "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"],
                "key": fields["key"],
                "account_1": random.choice(ACCOUNTS),
                "amount_1": amount,
                "tender_1": "CASH",
                "tender_amount_1": "400.00",
            },
            name="post payment + receipt",
            catch_response=True,
        ) as response:
            if "/receipt/" not in response.url or "Change" not in response.text:
                response.failure(f"no receipt: {response.status_code} {response.url}")
