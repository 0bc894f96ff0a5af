#!/usr/bin/env python3
"""Builds the benchmark's Webasyst shop.order.search answer: 20 (or ORDERS) orders x 3 items.

Every order is a real recorded order (tests/data/webasyst/order_search_c2_default.json)
with its items cycled to three and its ids renumbered, so the values keep the shapes
Webasyst really sends (strings for numbers, HTML entities, Cyrillic, dotted params).
Usage: bench/make-search-answer.py > bench/data/webasyst_search_20x3.json
       bench/make-search-answer.py 10 > bench/data/webasyst_search_10x3.json
A full page (20) says there are 57 orders in all, so the history has a next page; a
shorter one is the buyer's last page.
"""
import copy
import json
import pathlib
import sys

root = pathlib.Path(__file__).resolve().parent.parent
recorded = json.loads((root / "tests/data/webasyst/order_search_c2_default.json").read_text())
sources = [o for o in recorded["orders"] if o["items"]]

count = int(sys.argv[1]) if len(sys.argv) > 1 else 20
orders = []
item_id = 1000
for n in range(count):
    order = copy.deepcopy(sources[n % len(sources)])
    order["id"] = str(500 + n)
    order["id_encoded"] = "#1%03d" % (500 + n)
    items = []
    for k in range(3):
        item = copy.deepcopy(order["items"][k % len(order["items"])])
        item_id += 1
        item["id"] = str(item_id)
        item["order_id"] = order["id"]
        items.append(item)
    order["items"] = items
    orders.append(order)

answer = {"offset": 0, "limit": 20, "count": 57 if count == 20 else count, "orders": orders}
json.dump(answer, sys.stdout, ensure_ascii=False, separators=(",", ":"))
sys.stdout.write("\n")
