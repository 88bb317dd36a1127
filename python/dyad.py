"""dyad for analysts: code text with libdyad and read a dyad event store.

Pure Python, standard library only:

* ``Coder`` codes text through libdyad's public C API (include/dyad.h) with
  ctypes.  Each event is a dict with the fields and nesting of one line of
  ``dyad code`` JSON output, so code that reads that output reads these too.
* ``read_events``, ``read_quotes``, ``read_documents`` and ``read_series``
  read an SQLite store written by ``dyad ingest`` with the sqlite3 module, as
  the same kind of dicts (``read_series`` gives the rows of ``dyad series``).

Design notes.  libdyad is located through $DYAD_LIB, then a build tree next to
this file (``../build/libdyad.so``), then the library of the prefix this file
was installed into by ``make install`` (PREFIX/share/dyad/python/dyad.py ->
PREFIX/lib/libdyad.so) and finally ``ctypes.util.find_library``.  A Coder
loads the dictionaries and models once; they are read-only in C, so one Coder
may be used from several threads (each ``code`` call has its own document).
Spans are UTF-8 *byte* offsets into the text, exactly as in the JSON output
and the store, so they can be compared with dyad's other outputs; the
``text`` beside each span is the decoded string, which is what one usually
wants.  Absent values are always present as keys: ``quote`` and
``date_span`` are None when the C API says "none" (the JSON output omits
them), so every event dict has the same keys.  A store is opened read-only;
PostgreSQL stores need a driver outside the standard library and are refused
with a clear error.  See docs/python.md.
"""

import ctypes
import ctypes.util
import datetime
import os
import sqlite3
import urllib.parse

__all__ = [
    "Coder", "DyadError", "cameo", "read_events", "read_quotes", "read_documents",
    "read_series", "library_path", "VERSION",
]

MODALITIES = ("asserted", "reported", "intended", "hypothetical", "negated")
DEFAULT_MODALITIES = ("asserted", "reported")


class DyadError(Exception):
    """An error reported by libdyad or by the store reader."""


# --- the C API --------------------------------------------------------------------

class _Span(ctypes.Structure):
    _fields_ = [("start", ctypes.c_uint32), ("end", ctypes.c_uint32)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("sent", ctypes.c_uint32),
        ("source", ctypes.c_char_p),
        ("target", ctypes.c_char_p),
        ("code", ctypes.c_char * 8),
        ("root", ctypes.c_char * 4),
        ("quad", ctypes.c_int),
        ("goldstein", ctypes.c_double),
        ("plover", ctypes.c_char_p),
        ("plover_mode", ctypes.c_char_p),
        ("modality", ctypes.c_int),
        ("trigger", _Span),
        ("source_span", _Span),
        ("target_span", _Span),
        ("event_date", ctypes.c_char * 11),
        ("date_precision", ctypes.c_char_p),
        ("date_span", _Span),
        ("quote", ctypes.c_int32),
        ("mentions", ctypes.c_uint32),
        ("verb_rule", ctypes.c_char_p),
        ("source_rule", ctypes.c_char_p),
        ("target_rule", ctypes.c_char_p),
    ]


class _Quote(ctypes.Structure):
    _fields_ = [
        ("span", _Span),
        ("sent_first", ctypes.c_uint32),
        ("sent_last", ctypes.c_uint32),
        ("speaker", ctypes.c_char_p),
        ("speaker_span", _Span),
        ("speaker_rule", ctypes.c_char_p),
        ("cue", _Span),
    ]


class _Token(ctypes.Structure):
    _fields_ = [
        ("span", _Span),
        ("form", ctypes.c_char_p),
        ("lemma", ctypes.c_char_p),
        ("upos", ctypes.c_char_p),
        ("xpos", ctypes.c_char_p),
        ("deprel", ctypes.c_char_p),
        ("head", ctypes.c_long),
        ("sent", ctypes.c_size_t),
    ]


class _Cameo(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_char_p),
        ("name", ctypes.c_char_p),
        ("goldstein", ctypes.c_double),
        ("quad", ctypes.c_int),
    ]


_HERE = os.path.dirname(os.path.abspath(__file__))
_lib = None
_lib_path = None


def library_path():
    """The path of the libdyad shared library this module uses (or would use)."""
    env = os.environ.get("DYAD_LIB")
    if env:
        return env
    for candidate in (os.path.join(_HERE, "..", "build", "libdyad.so"),
                      os.path.join(_HERE, "..", "..", "..", "lib", "libdyad.so")):
        if os.path.exists(candidate):
            return os.path.normpath(candidate)
    found = ctypes.util.find_library("dyad")
    if found:
        return found
    raise DyadError("libdyad not found: build it (make), install it (make install), "
                    "or set DYAD_LIB to the path of libdyad.so")


def _load():
    global _lib, _lib_path
    if _lib is not None:
        return _lib
    path = library_path()
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        raise DyadError(f"cannot load libdyad from {path}: {e}") from None
    err = (ctypes.c_char_p, ctypes.c_size_t)
    sigs = {
        "dyad_dict_load": (ctypes.c_void_p, (ctypes.c_char_p,) + err),
        "dyad_dict_free": (None, (ctypes.c_void_p,)),
        "dyad_model_open": (ctypes.c_void_p, (ctypes.c_char_p, ctypes.c_uint) + err),
        "dyad_model_free": (None, (ctypes.c_void_p,)),
        "dyad_doc_new": (ctypes.c_void_p, ()),
        "dyad_doc_free": (None, (ctypes.c_void_p,)),
        "dyad_doc_set": (ctypes.c_int, (ctypes.c_void_p,) + (ctypes.c_char_p,) * 5
                         + (ctypes.c_size_t,) + err),
        "dyad_tag_parse": (ctypes.c_int, (ctypes.c_void_p, ctypes.c_void_p) + err),
        "dyad_code": (ctypes.c_int, (ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint) + err),
        "dyad_doc_nsentences": (ctypes.c_size_t, (ctypes.c_void_p,)),
        "dyad_doc_sentence": (_Span, (ctypes.c_void_p, ctypes.c_size_t)),
        "dyad_doc_nevents": (ctypes.c_size_t, (ctypes.c_void_p,)),
        "dyad_doc_event": (ctypes.POINTER(_Event), (ctypes.c_void_p, ctypes.c_size_t)),
        "dyad_doc_nquotes": (ctypes.c_size_t, (ctypes.c_void_p,)),
        "dyad_doc_quote": (ctypes.POINTER(_Quote), (ctypes.c_void_p, ctypes.c_size_t)),
        "dyad_doc_ntokens": (ctypes.c_size_t, (ctypes.c_void_p,)),
        "dyad_doc_token": (ctypes.c_int, (ctypes.c_void_p, ctypes.c_size_t,
                                          ctypes.POINTER(_Token))),
        "dyad_modality_name": (ctypes.c_char_p, (ctypes.c_int,)),
        "dyad_cameo_lookup": (ctypes.POINTER(_Cameo), (ctypes.c_char_p,)),
    }
    for name, (restype, argtypes) in sigs.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            raise DyadError(f"{path} lacks {name}: not a libdyad, or too old") from None
        fn.restype = restype
        fn.argtypes = argtypes
    _lib, _lib_path = lib, path
    return lib


def _data_dir(env, sub, probe):
    """$ENV, else SUB beside the library's build tree or installed share/dyad,
    else beside this file in a source tree: the first that holds PROBE."""
    value = os.environ.get(env)
    if value:
        return value
    candidates = []
    try:
        libdir = os.path.dirname(os.path.abspath(library_path()))
        candidates += [os.path.join(libdir, "..", "data", sub),
                       os.path.join(libdir, "..", "..", "data", sub),
                       os.path.join(libdir, "..", "share", "dyad", sub)]
    except DyadError:
        pass
    candidates.append(os.path.join(_HERE, "..", "data", sub))
    for c in candidates:
        if os.path.exists(os.path.join(c, probe)):
            return os.path.normpath(c)
    raise DyadError(f"no {sub} directory found: pass it or set {env}")


def _s(b):
    return b.decode("utf-8") if b else ""


def _date_str(d, what):
    if d is None:
        return None
    if isinstance(d, (datetime.date, datetime.datetime)):
        return d.strftime("%Y-%m-%d")
    s = str(d)
    try:
        datetime.date.fromisoformat(s)
    except ValueError:
        raise ValueError(f"{what}: not a YYYY-MM-DD date: {s!r}") from None
    return s


def cameo(code):
    """CAMEO facts of an event code: {'code', 'name', 'goldstein', 'quad'}, or None."""
    p = _load().dyad_cameo_lookup(str(code).encode())
    if not p:
        return None
    c = p.contents
    return {"code": _s(c.code), "name": _s(c.name), "goldstein": c.goldstein, "quad": c.quad}


def _span(raw, sp):
    """A span dict as in dyad's JSON: the text and its UTF-8 byte offsets."""
    return {"text": raw[sp.start:sp.end].decode("utf-8"), "start": sp.start, "end": sp.end}


class Coder:
    """Codes text into events with a dictionary set and the tagger/parser models.

    dict_dir: a dyad dictionary directory (default: $DYAD_DICT, else dyad's own);
    models_dir: tagger and parser models (default: $DYAD_MODELS, else dyad's);
    parse=False codes without tagging and parsing, as ``dyad code --no-parse``;
    accurate=True parses with the beam-search parser, as ``dyad code --accurate``.
    Use as a context manager, or call close(), to free the C memory early.
    """

    def __init__(self, dict_dir=None, models_dir=None, parse=True, accurate=False):
        self._lib = _load()
        self._dict = None
        self._model = None
        err = ctypes.create_string_buffer(512)
        self.dict_dir = dict_dir or _data_dir("DYAD_DICT", "dict", "actors.dict")
        self._dict = self._lib.dyad_dict_load(os.fsencode(self.dict_dir), err, len(err))
        if not self._dict:
            raise DyadError(f"dictionaries: {_s(err.value)}")
        self.models_dir = None
        if accurate and not parse:
            self.close()
            raise DyadError("accurate=True chooses a parser; it cannot go with parse=False")
        if parse:
            self.models_dir = models_dir or _data_dir("DYAD_MODELS", "models", "parser.bin")
            self._model = self._lib.dyad_model_open(os.fsencode(self.models_dir),
                                                    1 if accurate else 0, err, len(err))
            if not self._model:
                self.close()
                raise DyadError(f"models: {_s(err.value)}")

    def close(self):
        if getattr(self, "_model", None):
            self._lib.dyad_model_free(self._model)
            self._model = None
        if getattr(self, "_dict", None):
            self._lib.dyad_dict_free(self._dict)
            self._dict = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _run(self, text, date, doc_id, source, title, all_modalities, code, fill):
        if self._dict is None:
            raise DyadError("this Coder is closed")
        lib = self._lib
        date = _date_str(date, "date") or datetime.date.today().isoformat()
        raw = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        err = ctypes.create_string_buffer(512)
        doc = lib.dyad_doc_new()
        if not doc:
            raise MemoryError("dyad_doc_new")
        try:
            if lib.dyad_doc_set(doc, str(doc_id).encode(), date.encode(), str(source).encode(),
                                title.encode() if title is not None else None, raw, len(raw),
                                err, len(err)):
                raise DyadError(_s(err.value))
            if self._model and lib.dyad_tag_parse(self._model, doc, err, len(err)):
                raise DyadError(_s(err.value))
            if code and lib.dyad_code(self._dict, doc, 1 if all_modalities else 0, err, len(err)):
                raise DyadError(_s(err.value))
            return fill(lib, doc, raw, str(doc_id), date)
        finally:
            lib.dyad_doc_free(doc)

    @staticmethod
    def _events(lib, doc, raw, doc_id, date):
        sentences = [lib.dyad_doc_sentence(doc, i) for i in range(lib.dyad_doc_nsentences(doc))]
        out = []
        for i in range(lib.dyad_doc_nevents(doc)):
            e = lib.dyad_doc_event(doc, i).contents
            sent = sentences[e.sent] if e.sent < len(sentences) else None
            out.append({
                "doc": doc_id,
                "sent": e.sent,
                "date": date,
                "event_date": _s(e.event_date),
                "date_precision": _s(e.date_precision),
                "source": _s(e.source),
                "target": _s(e.target),
                "code": _s(e.code),
                "root": _s(e.root),
                "quad": e.quad,
                "goldstein": e.goldstein,
                "plover": _s(e.plover),
                "plover_mode": _s(e.plover_mode),
                "modality": _s(lib.dyad_modality_name(e.modality)),
                "mentions": e.mentions,
                "quote": e.quote if e.quote >= 0 else None,
                "trigger": _span(raw, e.trigger),
                "source_span": _span(raw, e.source_span),
                "target_span": _span(raw, e.target_span),
                "date_span": (_span(raw, e.date_span)
                              if e.date_span.end > e.date_span.start else None),
                "rules": {"verb": _s(e.verb_rule), "source": _s(e.source_rule),
                          "target": _s(e.target_rule)},
                "sentence": raw[sent.start:sent.end].decode("utf-8") if sent else "",
            })
        return out

    def code(self, text, date=None, doc_id="doc", source="", title=None,
             all_modalities=False):
        """Codes one document; returns its events as a list of dicts.

        date is the publication date (YYYY-MM-DD string or datetime.date;
        default today), against which "on Friday" and the like are resolved.
        all_modalities=True also keeps negated, hypothetical and intended
        events, as ``dyad code --all-modalities``.
        """
        return self._run(text, date, doc_id, source, title, all_modalities, True, self._events)

    def quotes(self, text, date=None, doc_id="doc", source="", title=None):
        """The direct quotations of a document and their speakers, as
        ``dyad code --quotes`` lists them."""
        def fill(lib, doc, raw, doc_id, date):
            out = []
            for i in range(lib.dyad_doc_nquotes(doc)):
                q = lib.dyad_doc_quote(doc, i).contents
                out.append({
                    "doc": doc_id, "quote": i, "date": date,
                    "sent_first": q.sent_first, "sent_last": q.sent_last,
                    "speaker": _s(q.speaker), "speaker_span": _span(raw, q.speaker_span),
                    "cue": _span(raw, q.cue), "speaker_rule": _s(q.speaker_rule),
                    "text": _span(raw, q.span),
                })
            return out
        return self._run(text, date, doc_id, source, title, False, True, fill)

    def parse(self, text, date=None):
        """Tokens of the text with their tags, lemmas and dependency heads:
        dicts with form, lemma, upos, xpos, head (token index in the document,
        -1 for a sentence root), deprel, sent and the span."""
        if self._model is None:
            raise DyadError("this Coder was made with parse=False")

        def fill(lib, doc, raw, doc_id, date):
            out = []
            tok = _Token()
            for i in range(lib.dyad_doc_ntokens(doc)):
                if lib.dyad_doc_token(doc, i, ctypes.byref(tok)):
                    break
                out.append({"form": _s(tok.form), "lemma": _s(tok.lemma), "upos": _s(tok.upos),
                            "xpos": _s(tok.xpos), "head": tok.head, "deprel": _s(tok.deprel),
                            "sent": tok.sent, "span": _span(raw, tok.span)})
            return out
        return self._run(text, date, "doc", "", None, False, False, fill)


# --- the store ----------------------------------------------------------------------

def _connect(db_path):
    db_path = os.fspath(db_path)
    if db_path.startswith(("postgresql://", "postgres://")):
        raise DyadError("PostgreSQL stores need a driver outside the standard library; "
                        "export with: dyad events --db URI > events.jsonl")
    if not os.path.exists(db_path):
        raise DyadError(f"{db_path}: no such store")
    uri = "file:" + urllib.parse.quote(os.path.abspath(db_path)) + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True)
        con.row_factory = sqlite3.Row
        con.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.DatabaseError as e:
        raise DyadError(f"{db_path}: not a dyad store ({e})") from None
    return con


def _prefix(column, value, params):
    """column starts with value (byte-wise, as dyad's own queries)."""
    params.append(value)
    return f"substr({column}, 1, {len(value.encode())}) = ?"


def _event_filter(actor, dyad, directed, code, root, quad, since, until, modality, doc):
    where, params = [], []
    if actor:
        where.append("(" + _prefix("e.source", actor, params) + " OR "
                     + _prefix("e.target", actor, params) + ")")
    if dyad:
        a, b = dyad.split(",") if isinstance(dyad, str) else dyad
        one = "(" + _prefix("e.source", a, params) + " AND " + _prefix("e.target", b, params) + ")"
        if directed:
            where.append(one)
        else:
            two = ("(" + _prefix("e.source", b, params) + " AND "
                   + _prefix("e.target", a, params) + ")")
            where.append(f"({one} OR {two})")
    if code:
        where.append(_prefix("e.code", str(code), params))
    if root:
        where.append("e.root = ?")
        params.append(str(root))
    if quad:
        quads = [int(q) for q in (quad if isinstance(quad, (list, tuple, set)) else [quad])]
        where.append("e.quad IN (" + ",".join("?" * len(quads)) + ")")
        params += quads
    if since:
        where.append("e.event_date >= ?")
        params.append(_date_str(since, "since"))
    if until:
        where.append("e.event_date <= ?")
        params.append(_date_str(until, "until"))
    if modality:
        mods = [modality] if isinstance(modality, str) else list(modality)
        for m in mods:
            if m not in MODALITIES:
                raise ValueError(f"modality: {m!r} is not one of {', '.join(MODALITIES)}")
        where.append("e.modality IN (" + ",".join("?" * len(mods)) + ")")
        params += mods
    if doc:
        where.append("d.id = ?")
        params.append(doc)
    return (" AND ".join(where) or "1 = 1"), params


def _stored_span(row, name):
    return {"text": row[name + "_text"], "start": row[name + "_start"], "end": row[name + "_end"]}


def read_events(db_path, actor=None, dyad=None, since=None, until=None, directed=False,
                code=None, root=None, quad=None, modality=None, doc=None, limit=None):
    """Events of a dyad store, in corpus order, as dicts shaped like Coder.code's.

    actor: source or target starts with this code prefix ("MEX" matches MEXGOV);
    dyad: "A,B" or (A, B), events between the two in either direction
    (directed=True: only A toward B); since/until: event date bounds, inclusive
    (YYYY-MM-DD or datetime.date); code: CAMEO code prefix; root: two-digit
    root; quad: a quad class or a list of them; modality: a name or a list
    (default: every stored modality); doc: one document id; limit: at most N.
    Each event also carries its store id as "id".
    """
    where, params = _event_filter(actor, dyad, directed, code, root, quad, since, until,
                                  modality, doc)
    sql = ("SELECT e.*, d.id AS doc_id FROM events e JOIN documents d ON d.seq = e.doc_seq"
           f" WHERE {where} ORDER BY e.id")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    con = _connect(db_path)
    try:
        out = []
        for r in con.execute(sql, params):
            out.append({
                "id": r["id"],
                "doc": r["doc_id"],
                "sent": r["sent"],
                "date": r["date"],
                "event_date": r["event_date"],
                "date_precision": r["date_precision"],
                "source": r["source"],
                "target": r["target"],
                "code": r["code"],
                "root": r["root"],
                "quad": r["quad"],
                "goldstein": r["goldstein"],
                "plover": r["plover"],
                "plover_mode": r["plover_mode"],
                "modality": r["modality"],
                "mentions": r["mentions"],
                "quote": r["quote"],
                "trigger": _stored_span(r, "trigger"),
                "source_span": _stored_span(r, "source"),
                "target_span": _stored_span(r, "target"),
                "date_span": (_stored_span(r, "date")
                              if r["date_end"] > r["date_start"] else None),
                "rules": {"verb": r["verb_rule"], "source": r["source_rule"],
                          "target": r["target_rule"]},
                "sentence": r["sentence"],
            })
        return out
    finally:
        con.close()


def read_quotes(db_path, speaker=None, doc=None):
    """Stored quotations (shaped like Coder.quotes'), optionally of one
    speaker code prefix or one document."""
    where, params = ["1 = 1"], []
    if speaker:
        where.append(_prefix("q.speaker", speaker, params))
    if doc:
        where.append("d.id = ?")
        params.append(doc)
    con = _connect(db_path)
    try:
        rows = con.execute(
            "SELECT q.*, d.id AS doc_id, d.date AS doc_date FROM quotes q"
            " JOIN documents d ON d.seq = q.doc_seq WHERE " + " AND ".join(where)
            + " ORDER BY q.doc_seq, q.quote", params).fetchall()
        return [{"doc": r["doc_id"], "quote": r["quote"], "date": r["doc_date"],
                 "sent_first": r["sent_first"], "sent_last": r["sent_last"],
                 "speaker": r["speaker"], "speaker_span": _stored_span(r, "speaker"),
                 "cue": _stored_span(r, "cue"), "speaker_rule": r["speaker_rule"],
                 "text": {"text": r["text"], "start": r["text_start"], "end": r["text_end"]}}
                for r in rows]
    finally:
        con.close()


def read_documents(db_path, with_text=False):
    """The stored documents in input order: id, date, source, title, nevents
    (and text when with_text, None for documents loaded from events)."""
    con = _connect(db_path)
    try:
        cols = "id, date, source, title, nevents" + (", text" if with_text else "")
        return [dict(r) for r in con.execute(f"SELECT {cols} FROM documents ORDER BY seq")]
    finally:
        con.close()


def _period_start(day, by):
    if by == "day":
        return day
    if by == "week":
        return day - datetime.timedelta(days=day.weekday())
    if by == "month":
        return day.replace(day=1)
    raise ValueError(f"by: {by!r} is not day, week or month")


def _next_period(start, by):
    if by == "day":
        return start + datetime.timedelta(days=1)
    if by == "week":
        return start + datetime.timedelta(days=7)
    return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def read_series(db_path, dyad=None, actor=None, by="month", since=None, until=None,
                directed=False, modality=DEFAULT_MODALITIES):
    """Events per period and quad class, as ``dyad series`` counts them.

    Returns one dict per period from the first to the last (or since..until),
    empty periods included: period ("YYYY-MM-DD" for days and weeks, whose
    label is their Monday; "YYYY-MM" for months), events, verbal_coop,
    material_coop, verbal_conflict, material_conflict, goldstein_sum,
    goldstein_mean and conflict_share (None for a period without events).
    """
    if by not in ("day", "week", "month"):
        raise ValueError(f"by: {by!r} is not day, week or month")
    where, params = _event_filter(actor, dyad, directed, None, None, None, since, until,
                                  modality, None)
    con = _connect(db_path)
    try:
        rows = con.execute(
            "SELECT e.event_date, e.quad, count(*), sum(e.goldstein) FROM events e"
            f" WHERE {where} GROUP BY e.event_date, e.quad ORDER BY e.event_date",
            params).fetchall()
    finally:
        con.close()
    buckets = {}
    for event_date, quad, n, gsum in rows:
        start = _period_start(datetime.date.fromisoformat(event_date), by)
        b = buckets.setdefault(start, [0, 0, 0, 0, 0.0])
        if 1 <= quad <= 4:
            b[quad - 1] += n
        b[4] += gsum
    first = _period_start(datetime.date.fromisoformat(_date_str(since, "since")), by) \
        if since else min(buckets, default=None)
    last = _period_start(datetime.date.fromisoformat(_date_str(until, "until")), by) \
        if until else max(buckets, default=None)
    out = []
    p = first
    while p is not None and last is not None and p <= last:
        vc, mc, vk, mk, gsum = buckets.get(p, [0, 0, 0, 0, 0.0])
        n = vc + mc + vk + mk
        out.append({
            "period": p.strftime("%Y-%m") if by == "month" else p.isoformat(),
            "events": n, "verbal_coop": vc, "material_coop": mc,
            "verbal_conflict": vk, "material_conflict": mk,
            "goldstein_sum": round(gsum, 6),
            "goldstein_mean": round(gsum / n, 6) if n else None,
            "conflict_share": round((vk + mk) / n, 6) if n else None,
        })
        p = _next_period(p, by)
    return out


VERSION = "0.1.0"
