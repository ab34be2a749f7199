"""Locust users for bench.queues: each is a staff member of one section
pulling "Next item" as soon as they finish the last (a short think time),
recording the item each pull handed them."""

import itertools
import json
import os
import re

from locust import HttpUser, between, events, task

STAFF = itertools.count(1)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(r"/staffing/work-items/(\d+)/$")
HANDED: list[int] = []


class Staff(HttpUser):
    wait_time = between(0.5, 1.5)  # a glance at the item before the next

    def on_start(self):
        n = next(STAFF)
        page = self.client.get("/login/", name="login page")
        self.client.post(
            "/login/",
            {
                "username": f"bench-staff-{n:02d}",
                "password": "bench-pass-1",
                "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),
            },
            name="sign in",
        )
        self.token = TOKEN.search(self.client.get("/staffing/", name="queues").text).group(1)

    @task(3)
    def next_item(self):
        with self.client.post(
            "/staffing/next/",
            {"csrfmiddlewaretoken": self.token},
            allow_redirects=False,
            name="next item",
            catch_response=True,
        ) as response:
            found = ITEM.search(response.headers.get("Location", ""))
            if response.status_code != 302 or found is None:
                response.failure(f"no item handed: {response.status_code}")
            else:
                HANDED.append(int(found.group(1)))

    @task(1)
    def floor(self):
        # The same stack (session, user, roles, CSRF) refusing a GET: no queue work.
        with self.client.get("/staffing/next/", name="floor", catch_response=True) as response:
            if response.status_code == 405:
                response.success()


@events.test_stop.add_listener
def _write_handed(environment, **kwargs):
    with open(os.environ["BENCH_HANDED"], "w") as handle:
        json.dump(HANDED, handle)
