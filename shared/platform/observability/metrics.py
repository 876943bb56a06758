"""Prometheus metrics of a service process (`/metrics`).

Outbox backlog, the age of its oldest unsent row and consumer lag are the numbers that say
whether events flow; deploy/k8s/base/monitoring/ alerts on them (names used there and in
the dashboard are checked against this file by deploy/tools/check_monitoring.py).
"""

from __future__ import annotations

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
)


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        # prometheus_client's default process_* (CPU, memory, open files), python_gc_* and
        # python_info collectors; they live in the default registry, this one is per service.
        for collector in (PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
            self.registry.register(collector)
        self.http_requests = Counter(
            "sme_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "sme_http_request_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.outbox_backlog = Gauge(
            "sme_outbox_backlog",
            "Outbox rows not yet acknowledged by Kafka",
            registry=self.registry,
        )
        self.outbox_oldest_unsent = Gauge(
            "sme_outbox_oldest_unsent_seconds",
            "Age of the oldest outbox row not yet acknowledged by Kafka (0 when none)",
            registry=self.registry,
        )
        self.outbox_published = Counter(
            "sme_outbox_published_total",
            "Events published from the outbox",
            ["topic"],
            registry=self.registry,
        )
        self.outbox_failures = Counter(
            "sme_outbox_publish_failures_total", "Failed publish attempts", registry=self.registry
        )
        self.outbox_parked = Counter(
            "sme_outbox_parked_total",
            "Outbox rows the broker refused for good",
            registry=self.registry,
        )
        self.outbox_parked_rows = Gauge(
            "sme_outbox_parked_rows",
            "Parked outbox rows waiting for an operator",
            registry=self.registry,
        )
        # Kafka is not part of readiness (the outbox absorbs its outages): alert on these.
        self.kafka_reachable = Gauge(
            "sme_kafka_reachable",
            "1 when the relay's last metadata round trip to the broker succeeded",
            registry=self.registry,
        )
        self.consumer_assigned = Gauge(
            "sme_consumer_assigned",
            "1 when the consumer holds partitions of its topics",
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "sme_consumer_lag",
            "Messages behind the partition end",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.events_handled = Counter(
            "sme_events_handled_total",
            "Events handled",
            ["type", "outcome"],
            registry=self.registry,
        )
        self.dead_letters = Counter(
            "sme_dead_letters_total",
            "Messages sent to the dead-letter topic",
            ["topic"],
            registry=self.registry,
        )
        self.service_info = Gauge(
            "sme_service_info", "Service", ["service"], registry=self.registry
        )
        self.service_info.labels(service=service).set(1)
