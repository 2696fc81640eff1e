#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Read EventBridge state and probe delivery with boto3, for molecule's verify.

amazon.aws has no EventBridge _info module, so verify reads buses, rules and
targets through this script (JSON on stdout) instead of the collection's own
modules, and uses it to put events and collect what arrives in a queue.

    events_probe.py describe --region R --bus B [--rule N]
    events_probe.py deliver --region R --bus B --queue-region R --queue-name Q --source S [--source S ...]
    events_probe.py queue --region R --name Q
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

import boto3


def client(service: str, region: str):
    return boto3.client(service, region_name=region, endpoint_url=os.environ.get("DR_AWS_ENDPOINT_URL") or None)


def describe(args: argparse.Namespace) -> dict:
    events = client("events", args.region)
    try:
        bus = events.describe_event_bus(Name=args.bus)
    except events.exceptions.ResourceNotFoundException:
        return {"bus": None}
    result = {
        "bus": {
            "name": bus["Name"],
            "arn": bus["Arn"],
            "policy": json.loads(bus["Policy"]) if bus.get("Policy") else None,
            "tags": {t["Key"]: t["Value"] for t in events.list_tags_for_resource(ResourceARN=bus["Arn"])["Tags"]},
        },
        "rules": [rule["Name"] for rule in events.list_rules(EventBusName=args.bus).get("Rules", [])],
    }
    if args.rule:
        rule = events.describe_rule(Name=args.rule, EventBusName=args.bus)
        result["rule"] = {
            "arn": rule["Arn"],
            "state": rule["State"],
            "event_pattern": json.loads(rule["EventPattern"]),
            "tags": {t["Key"]: t["Value"] for t in events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]},
        }
        result["targets"] = events.list_targets_by_rule(Rule=args.rule, EventBusName=args.bus)["Targets"]
    return result


def deliver(args: argparse.Namespace) -> dict:
    """Put one event per source on the bus; return the sources that reach the queue."""
    events = client("events", args.region)
    entries = [
        {"Source": source, "DetailType": "dr-probe", "Detail": json.dumps({"probe": source}), "EventBusName": args.bus}
        for source in args.source
    ]
    put = events.put_events(Entries=entries)
    sqs = client("sqs", args.queue_region)
    queue_url = sqs.get_queue_url(QueueName=args.queue_name)["QueueUrl"]
    received: list[str] = []
    deadline = time.monotonic() + args.wait
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in messages.get("Messages", []):
            received.append(json.loads(message["Body"])["source"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if time.monotonic() > deadline:
            break
    return {"failed_entry_count": put["FailedEntryCount"], "received_sources": sorted(received)}


def queue(args: argparse.Namespace) -> dict:
    """A queue's attributes (Policy parsed), or {} when it does not exist."""
    sqs = client("sqs", args.region)
    try:
        url = sqs.get_queue_url(QueueName=args.name)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        return {}
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    if attributes.get("Policy"):
        attributes["Policy"] = json.loads(attributes["Policy"])
    return attributes


COMMANDS = {"describe": describe, "deliver": deliver, "queue": queue}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("describe")
    d.add_argument("--region", required=True)
    d.add_argument("--bus", required=True)
    d.add_argument("--rule")
    p = sub.add_parser("deliver")
    p.add_argument("--region", required=True)
    p.add_argument("--bus", required=True)
    p.add_argument("--queue-region", required=True)
    p.add_argument("--queue-name", required=True)
    p.add_argument("--source", action="append", required=True)
    p.add_argument("--wait", type=float, default=3.0, help="seconds to keep collecting messages")
    q = sub.add_parser("queue")
    q.add_argument("--region", required=True)
    q.add_argument("--name", required=True)
    args = parser.parse_args()
    result = COMMANDS[args.command](args)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
