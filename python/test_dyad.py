"""Tests of python/dyad.py (stdlib unittest), run by tests/e2e/python.sh.

The module must give what the dyad command gives: the events Coder.code finds
in the example article are compared field by field with `dyad code`'s JSON
output, and what read_events / read_quotes / read_series read from a store
made by `dyad ingest` with `dyad events` / `dyad events --quotes` /
`dyad series --format json`.  $DYAD names the dyad binary (default
../build/dyad), $DYAD_LIB the library (default: found by the module).
"""

import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import dyad  # noqa: E402

DYAD = os.environ.get("DYAD") or os.path.join(ROOT, "build", "dyad")
EXAMPLE = os.path.join(ROOT, "examples", "us-mexico-sovereignty.jsonl")


def run(*args):
    return subprocess.run([DYAD, *args], check=True, capture_output=True, text=True).stdout


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def as_python_event(e):
    """A `dyad code` JSON event with the keys the JSON leaves out when empty."""
    e = dict(e)
    e.setdefault("quote", None)
    e.setdefault("date_span", None)
    return e


def article():
    with open(EXAMPLE, encoding="utf-8") as f:
        return json.loads(f.readline())


def triples(events):
    return [(e["source"], e["target"], e["code"]) for e in events]


class CoderTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.coder = dyad.Coder()
        cls.doc = article()
        cls.events = cls.coder.code(cls.doc["text"], date=cls.doc["date"], doc_id=cls.doc["id"],
                                    source=cls.doc["source"], title=cls.doc["title"])

    @classmethod
    def tearDownClass(cls):
        cls.coder.close()

    def test_same_events_as_the_command(self):
        cli = [as_python_event(e) for e in json_lines(run("code", "-q", EXAMPLE))]
        self.assertEqual(len(self.events), len(cli))
        self.assertGreaterEqual(len(cli), 8)
        for mine, theirs in zip(self.events, cli):
            self.assertEqual(mine, theirs)

    def test_accurate_as_the_command(self):
        cli = [as_python_event(e) for e in json_lines(run("code", "-q", "--accurate", EXAMPLE))]
        with dyad.Coder(accurate=True) as beam:
            mine = beam.code(self.doc["text"], date=self.doc["date"], doc_id=self.doc["id"],
                             source=self.doc["source"], title=self.doc["title"])
        self.assertEqual(mine, cli)
        self.assertGreaterEqual(len(cli), 8)
        with self.assertRaises(dyad.DyadError):
            dyad.Coder(parse=False, accurate=True)

    def test_known_events_of_the_example(self):
        got = triples(self.events)
        self.assertIn(("MEX", "USA", "12"), got)
        self.assertIn(("MEXGOV", "USA", "12"), got)
        self.assertIn(("USAGOV", "MEXCRM", "138"), got)
        first = self.events[0]
        self.assertEqual(first["trigger"]["text"], "stood firm against")
        self.assertEqual(first["source_span"]["text"], "Mexico")
        self.assertEqual(first["target_span"]["text"], "United States")
        self.assertEqual((first["quad"], first["goldstein"], first["plover"]), (3, -4.0, "REJECT"))
        self.assertEqual(first["rules"]["verb"].split(":")[0], "verbs.dict")
        # "declared on Friday" in a Saturday story
        sheinbaum = next(e for e in self.events if e["source"] == "MEXGOV" and e["code"] == "12")
        self.assertEqual(sheinbaum["event_date"], "2025-08-08")
        self.assertEqual(sheinbaum["date_span"]["text"], "Friday")
        self.assertEqual(sheinbaum["quote"], 0)
        directive = next(e for e in self.events if e["code"] == "138")
        self.assertEqual(directive["modality"], "reported")
        self.assertEqual(directive["plover_mode"], "violence")

    def test_spans_are_utf8_byte_offsets(self):
        raw = self.doc["text"].encode("utf-8")
        for e in self.events:
            for key in ("trigger", "source_span", "target_span"):
                sp = e[key]
                self.assertEqual(raw[sp["start"]:sp["end"]].decode("utf-8"), sp["text"])
            self.assertIn(e["trigger"]["text"], e["sentence"])

    def test_dates_and_modalities(self):
        text = "Mexico rejected the United States."
        ev = self.coder.code(text, date=datetime.date(2025, 8, 9))
        self.assertEqual(triples(ev), [("MEX", "USA", "12")])
        self.assertEqual(ev[0]["date"], "2025-08-09")
        negated = "Mexico did not reject the United States."
        self.assertEqual(self.coder.code(negated, date="2025-08-09"), [])
        kept = self.coder.code(negated, date="2025-08-09", all_modalities=True)
        self.assertEqual([e["modality"] for e in kept], ["negated"])
        with self.assertRaises(ValueError):
            self.coder.code(text, date="2025-13-01")
        with self.assertRaises(dyad.DyadError):
            self.coder.code(b"caf\xe9", date="2025-08-09")  # invalid UTF-8

    def test_quotes_and_tokens(self):
        quotes = self.coder.quotes(self.doc["text"], date=self.doc["date"], doc_id=self.doc["id"])
        cli = json_lines(run("code", "-q", "--quotes", EXAMPLE))
        self.assertEqual(quotes, cli)
        self.assertEqual(quotes[0]["speaker"], "MEXGOV")
        toks = self.coder.parse("Mexico rejected the plan.")
        self.assertEqual([t["form"] for t in toks], ["Mexico", "rejected", "the", "plan", "."])
        self.assertEqual(toks[1]["lemma"], "reject")
        self.assertEqual(toks[1]["head"], -1)
        self.assertEqual((toks[0]["upos"], toks[0]["deprel"], toks[0]["head"]),
                         ("PROPN", "nsubj", 1))

    def test_no_parse_and_errors(self):
        with dyad.Coder(parse=False) as quick:
            ev = quick.code("Mexico rejected the United States.", date="2025-08-09")
            self.assertEqual(triples(ev), [("MEX", "USA", "12")])
            with self.assertRaises(dyad.DyadError):
                quick.parse("Mexico rejected the plan.")
        with self.assertRaises(dyad.DyadError):
            quick.code("Mexico rejected the United States.", date="2025-08-09")
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "verbs.dict"), "w") as f:
                f.write("[verbs]\nnot-a-code   reject\n")
            with self.assertRaisesRegex(dyad.DyadError, r"verbs\.dict:2"):
                dyad.Coder(dict_dir=d)
            with self.assertRaisesRegex(dyad.DyadError, "models"):
                dyad.Coder(models_dir=d)

    def test_threads_share_a_coder(self):
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            results = list(pool.map(
                lambda i: self.coder.code(self.doc["text"], date=self.doc["date"],
                                          doc_id=self.doc["id"], source=self.doc["source"],
                                          title=self.doc["title"]), range(16)))
        for events in results:
            self.assertEqual(events, self.events)

    def test_cameo_and_version(self):
        self.assertEqual(dyad.cameo("12")["quad"], 3)
        self.assertEqual(dyad.cameo("190")["goldstein"], -10.0)
        self.assertIsNone(dyad.cameo("999"))
        with open(os.path.join(ROOT, "include", "dyad.h"), encoding="utf-8") as f:
            header = re.search(r'#define DYAD_VERSION "([^"]+)"', f.read()).group(1)
        self.assertEqual(dyad.VERSION, header)


class StoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "news.db")
        subprocess.run([DYAD, "ingest", "-q", cls.db, EXAMPLE], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cli_events(self, *args):
        return [as_python_event(e) for e in json_lines(run("events", self.db, *args))]

    @staticmethod
    def without_ids(events):
        return [{k: v for k, v in e.items() if k != "id"} for e in events]

    def test_all_events_as_the_command(self):
        mine = dyad.read_events(self.db)
        self.assertEqual(self.without_ids(mine), self.cli_events())
        self.assertEqual([e["id"] for e in mine], sorted(e["id"] for e in mine))
        self.assertIn(("MEXGOV", "USA", "12"), triples(mine))

    def test_filters(self):
        self.assertEqual(self.without_ids(dyad.read_events(self.db, actor="MEXGOV")),
                         self.cli_events("--actor", "MEXGOV"))
        mex_usa = dyad.read_events(self.db, dyad=("MEX", "USA"), directed=True)
        self.assertEqual(self.without_ids(mex_usa),
                         self.cli_events("--dyad", "MEX,USA", "--directed"))
        self.assertTrue(mex_usa)
        self.assertTrue(all(e["source"].startswith("MEX") and e["target"].startswith("USA")
                            for e in mex_usa))
        friday = dyad.read_events(self.db, since="2025-08-08", until=datetime.date(2025, 8, 8))
        self.assertEqual([(e["source"], e["code"]) for e in friday], [("MEXGOV", "12")])
        self.assertEqual(self.without_ids(dyad.read_events(self.db, quad=[3, 4], code="12")),
                         self.cli_events("--quad", "3,4", "--code", "12"))
        self.assertEqual(len(dyad.read_events(self.db, limit=2)), 2)
        self.assertEqual(dyad.read_events(self.db, actor="CHN"), [])
        with self.assertRaises(ValueError):
            dyad.read_events(self.db, modality="maybe")

    def test_quotes_and_documents(self):
        self.assertEqual(dyad.read_quotes(self.db), json_lines(run("events", "--quotes", self.db)))
        docs = dyad.read_documents(self.db)
        self.assertEqual([(d["id"], d["date"]) for d in docs],
                         [("us-mexico-sovereignty", "2025-08-09")])
        self.assertEqual(docs[0]["nevents"], len(dyad.read_events(self.db)))

    def test_series_as_the_command(self):
        for by in ("day", "week", "month"):
            for extra in ([], ["--from", "2025-07-30", "--to", "2025-08-12"]):
                cli = json.loads(run("series", self.db, "--dyad", "USA,MEX", "--by", by,
                                     "--format", "json", *extra))["periods"]
                kw = {"since": extra[1], "until": extra[3]} if extra else {}
                mine = dyad.read_series(self.db, dyad="USA,MEX", by=by, **kw)
                self.assertEqual(len(mine), len(cli), (by, extra))
                for m, c in zip(mine, cli):
                    for key, value in c.items():
                        if isinstance(value, float):
                            self.assertAlmostEqual(m[key], value, places=2, msg=(by, key))
                        else:
                            self.assertEqual(m[key], value, (by, key))
        by_day = dyad.read_series(self.db, dyad="USA,MEX", by="day")
        self.assertEqual([p["period"] for p in by_day], ["2025-08-08", "2025-08-09"])
        self.assertEqual(by_day[0]["verbal_conflict"], 1)

    def test_bad_stores(self):
        with self.assertRaisesRegex(dyad.DyadError, "no such store"):
            dyad.read_events(os.path.join(self.tmp.name, "missing.db"))
        junk = os.path.join(self.tmp.name, "junk.db")
        with open(junk, "w") as f:
            f.write("not a database\n")
        with self.assertRaisesRegex(dyad.DyadError, "not a dyad store"):
            dyad.read_events(junk)
        with self.assertRaises(dyad.DyadError):
            dyad.read_events("postgresql://localhost/news")


if __name__ == "__main__":
    unittest.main()
