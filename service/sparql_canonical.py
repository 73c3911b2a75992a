"""The query a remote SPARQL server is sent: read by one parser, written out again, and only that.

A remote server runs whatever text it receives, with its own parser. Checking the client's text with
our parser and then forwarding that same text lets the two disagree about what it says (a `#`
comment that one ends at a carriage return and the other at a line feed hid a SERVICE clause, an
update, or a 78,333-deep expression that overflowed the server's stack). So the text is parsed once,
with rdflib's SPARQL 1.1 parser; everything the endpoint decides (the query form, SERVICE, function
calls, how deep the query nests) is decided on that parse tree; and what is forwarded is a canonical
serialisation of that same tree, never the client's text:

- no comments, no PREFIX (every IRI written out in full, relative ones resolved against the base),
  one BASE (the query's, else the endpoint's address: what IRI("x") resolves against), no `\\u`
  escapes (expanded before parsing, as the Recommendation says);
- every literal written as `"lexical form"^^<datatype>` or `"..."@lang`, every token separated by
  a space, so no lexer can join or split tokens differently (`a<b` and `<b>` cannot be confused);
- a blank node as `_:bN`, a variable as `?name`.

Before anything is sent, the canonical text is parsed again and must give the same tree (every node,
every term, blank nodes up to renaming); a query whose canonical form would mean anything else is
refused instead of altered. rdflib's own algebra-to-text writer (`translateAlgebra`) was measured
and not used: it dropped a FILTER inside an OPTIONAL. No maintained Python library serialises a
SPARQL parse tree (sparqlkit's Earley parser took minutes on a 78,333-operand expression), so the
writer below is ours; the round-trip check is what makes it safe to be wrong.

This module is pure (text in, text out). rdflib's parser is not thread-safe and recurses once per
level of nesting, so the service runs it in its sandboxed worker processes (service.sparql_executor),
never on a request thread.
"""
from __future__ import annotations

from dataclasses import dataclass

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"


class Refused(Exception):
    """The query is not forwarded. `kind` says why: syntax | service | function | depth | unsupported."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CheckedQuery:
    form: str            # select | ask | construct | describe
    text: str            # what the server is sent
    depth: int           # how deeply the query nests, as counted by query_depth


def check_query(text: str, base_iri: str | None, max_depth: int) -> CheckedQuery:
    """The canonical form of `text`, or Refused. Never returns text it did not read."""
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    tree = _parse(parseQuery, text)
    prologue = _prologue(translatePrologue, tree[0], base_iri)
    query = tree[1]
    _refuse_service_and_functions(query, prologue)
    depth = query_depth(query)
    if depth > max_depth:
        raise Refused("depth", f"the query nests {depth} levels deep (brackets, groups, and each further operand "
                               f"of a chain such as a && b, a + b, UNION or a block of triple patterns); the limit "
                               f"is {max_depth}")
    canonical = Writer(prologue).query(query)
    if prologue.base:   # IRI("x") and URI("x") resolve against the base when the query runs
        canonical = f"BASE {_iri(str(prologue.base))} {canonical}"
    again = _parse(parseQuery, canonical)
    if shape(query, prologue) != shape(again[1], _prologue(translatePrologue, again[0], None)):
        raise Refused("unsupported", "the query uses a form this endpoint cannot forward to its SPARQL server "
                                     "exactly as written; rewrite that part (for example without blank-node "
                                     "labels shared between groups) or run it on the server directly")
    return CheckedQuery(query.name.removesuffix("Query").lower(), canonical, depth)


def _parse(parse_query, text: str):
    try:
        return parse_query(text)
    except RecursionError:
        raise Refused("depth", "the query nests too deeply to be read") from None
    except Exception as error:  # noqa: BLE001 - pyparsing and rdflib raise several kinds; all mean "cannot be read"
        raise Refused("syntax", f"the query cannot be parsed: {error}") from None


def _prologue(translate_prologue, declarations, base_iri: str | None):
    try:
        return translate_prologue(declarations, base_iri)
    except Exception as error:  # noqa: BLE001 - an unusable PREFIX or BASE
        raise Refused("syntax", f"the query's prologue cannot be read: {error}") from None


# ---------------------------------------------------------------- what the tree holds

def _nodes(node):
    """Every node of a parse tree, iteratively (a tree can be thousands of levels deep)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    pending = [node]
    while pending:
        current = pending.pop()
        yield current
        if isinstance(current, CompValue):
            pending.extend(current.values())
        elif isinstance(current, (list, tuple)) or type(current).__name__ == "ParseResults":
            pending.extend(current)


SERVICE_REFUSED = ("SERVICE is disabled: this endpoint never lets a query reach another server "
                   "(federated queries are refused)")


def _refuse_service_and_functions(query, prologue) -> None:
    """SERVICE never reaches the server; a function call may only be an XSD cast (the functions the
    local endpoint runs too): an extension function is the server's code, not the query language."""
    from rdflib.plugins.sparql.parserutils import CompValue

    for node in _nodes(query):
        if not isinstance(node, CompValue):
            continue
        if node.name == "ServiceGraphPattern":
            raise Refused("service", SERVICE_REFUSED)
        if node.name == "Function":
            iri = str(_absolute(prologue, node["iri"]))
            if not iri.startswith(XSD):
                raise Refused("function", f"the function <{iri}> is not available: only the SPARQL 1.1 "
                                          f"functions and XSD casts (xsd:integer(...), ...) are")


# How much one node adds to the depth. A list of n items in the tree is folded by an engine into n - 1
# nested nodes, so it counts as deep as n - 1 brackets: operands of a chain (+, &&, UNION), the parts
# of a group or path, triples, and the lists rdflib keeps flat that Oxigraph nests too (measured on
# Oxigraph 0.5's server: 3,000 chained `+`, UNIONs or OPTIONALs, 1,000 nested groups, or 3,000
# projected expressions, GROUP BY or ORDER BY conditions, or DESCRIBE targets each overflowed its stack
# and killed it). Every list counts unless it is known to stay a flat list in the engine (_FLAT): a
# list nobody has measured yet is counted rather than trusted.
_FLAT = {
    ("InlineData", "value"), ("InlineData", "var"),         # VALUES rows and variables
    ("ValuesClause", "value"), ("ValuesClause", "var"),
    ("RelationalExpression", "other"),                      # IN (...) list
    ("Function", "expr"), ("Function", "distinct"),         # a call's arguments
    ("SelectQuery", "datasetClause"), ("ConstructQuery", "datasetClause"),
    ("DescribeQuery", "datasetClause"), ("AskQuery", "datasetClause"),
    ("ConstructQuery", "template"),                         # the triples a CONSTRUCT writes
    ("AdditiveExpression", "op"), ("MultiplicativeExpression", "op"),  # beside 'other', counted there
}
_FLAT_PREFIXES = ("Builtin_", "Aggregate_")                 # CONCAT(...), COALESCE(...): argument lists
_OPERAND_CHAINS = {"ConditionalOrExpression", "ConditionalAndExpression", "AdditiveExpression",
                   "MultiplicativeExpression"}               # the first operand is under "expr"
_LEVELS = {"ConditionalOrExpression", "GroupGraphPatternSub", "SubSelect", "UnaryNot", "UnaryMinus",
           "UnaryPlus", "Function", "OptionalGraphPattern", "MinusGraphPattern", "GraphGraphPattern",
           "Filter", "Bind", "PathElt", "PathEltOrInverse", "PathNegatedPropertySet"}


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple)) or type(value).__name__ == "ParseResults"


def _own_depth(node) -> int:
    name = node.name
    level = 1 if name in _LEVELS or name.startswith(_FLAT_PREFIXES) else 0
    if name.startswith(_FLAT_PREFIXES):
        return level
    for key, members in node.items():
        if not _is_list(members) or (name, key) in _FLAT:
            continue
        if name == "TriplesBlock" and key == "triples":
            count = sum(len(group) // 3 for group in members)
        elif name in _OPERAND_CHAINS and key == "other":
            count = 1 + len(members)
        else:
            count = len(members)
        level += max(0, count - 1)
    return level


def query_depth(query) -> int:
    """The deepest path from the root, in levels as defined above (iterative: no recursion)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    deepest = 0
    pending = [(query, 0)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, CompValue):
            depth += _own_depth(node)
            deepest = max(deepest, depth)
            pending.extend((child, depth) for child in node.values())
        elif _is_list(node):
            pending.extend((child, depth) for child in node)
    return deepest


def _absolute(prologue, iri):
    try:
        return prologue.absolutize(iri)
    except Exception as error:  # noqa: BLE001 - an undeclared prefix
        raise Refused("syntax", f"the query cannot be read: {error}") from None


# ---------------------------------------------------------------- the shape two parses must share

def shape(query, prologue):
    """A comparable form of a parse tree: IRIs resolved, literals as (lexical, datatype, language),
    blank nodes numbered by first appearance, the triples of a block as one flat list (how they are
    grouped with `;` and `,` does not change the pattern). Recursive: call it on a checked depth."""
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import BNode, Literal, URIRef, Variable

    blank: dict = {}

    def walk(node):
        if isinstance(node, CompValue):
            if node.name == "pname":
                return ("IRI", str(_absolute(prologue, node)))
            if node.name == "literal":
                datatype = _get(node, "datatype")
                return ("LIT", str(node["string"]),
                        str(_absolute(prologue, datatype)) if datatype is not None else None, _get(node, "lang"))
            simple = _single_predicate(node)
            if simple is not None:
                return walk(simple)
            return (node.name, tuple((key, walk(child)) for key, child in _shape_children(node)))
        if isinstance(node, URIRef):
            return ("IRI", str(_absolute(prologue, node)))
        if isinstance(node, Literal):
            return ("LIT", str(node), str(node.datatype) if node.datatype is not None else None, node.language)
        if isinstance(node, Variable):
            return ("VAR", str(node))
        if isinstance(node, BNode):
            return ("BNODE", blank.setdefault(node, len(blank)))
        if isinstance(node, str):
            return ("STR", str(node))
        if _is_sequence(node):
            return tuple(walk(child) for child in node)
        return ("OTHER", repr(node))

    return walk(query)


def _single_predicate(node):
    """The IRI a path of one plain step is (`:p` written as a path), else None: the parser keeps a
    collection's rdf:first/rdf:rest as bare IRIs and a written `:p` as a one-step path, which mean the
    same pattern."""
    if node.name != "PathAlternative" or len(node["part"]) != 1:
        return None
    sequence = node["part"][0]
    if len(sequence["part"]) != 1:
        return None
    step = sequence["part"][0]
    if step.name != "PathElt" or _get(step, "mod"):
        return None
    primary = step["part"]
    if getattr(primary, "name", "pname") != "pname":
        return None
    return primary


def _shape_children(node) -> list[tuple[str, object]]:
    """A node's children in a fixed order; a block's triples flattened."""
    children = []
    for key in sorted(node.keys()):
        value = node[key]
        if key in ("triples", "template") and isinstance(value, list):
            value = [term for group in value for term in group]
        children.append((key, value))
    return children


# ---------------------------------------------------------------- the writer

_UNARY = {"UnaryNot": "!", "UnaryMinus": "-", "UnaryPlus": "+"}
_NO_ARGUMENT = {"Builtin_RAND": "RAND", "Builtin_NOW": "NOW", "Builtin_UUID": "UUID", "Builtin_STRUUID": "STRUUID"}
_TWO = ("arg1", "arg2")
# Arguments of each built-in call, in the order the grammar writes them (an optional one last).
_BUILTIN_ARGUMENTS = {
    "REGEX": ("text", "pattern", "flags"), "SUBSTR": ("arg", "start", "length"),
    "REPLACE": ("arg", "pattern", "replacement", "flags"), "IF": ("arg1", "arg2", "arg3"),
    "LANGMATCHES": _TWO, "CONTAINS": _TWO, "STRSTARTS": _TWO, "STRENDS": _TWO, "STRBEFORE": _TWO,
    "STRAFTER": _TWO, "STRLANG": _TWO, "STRDT": _TWO, "sameTerm": _TWO,
}
# A call's "(" is written against its name: Oxigraph 0.5 reads `CONCAT (`, `COALESCE (` and `BNODE ()`
# as syntax errors (the grammar allows the space; its parser does not).
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class Writer:
    """SPARQL text from rdflib's parse tree of a query (not an update: those are never forwarded).
    Recursive over expressions and groups: call it only on a tree whose depth was checked."""

    def __init__(self, prologue):
        self.prologue = prologue
        self.blank: dict = {}

    # -- queries
    def query(self, node) -> str:
        name = node.name
        if name == "SelectQuery":
            head = self._select_clause(node)
        elif name == "AskQuery":
            head = "ASK"
        elif name == "ConstructQuery":
            where = _get(node, "where")
            if _get(node, "template") is None and (where is None or where.name == "FakeGroupGraphPatten"):
                blocks = self._triples_blocks(where) if where is not None else ""
                return " ".join(["CONSTRUCT", *self._datasets(node), "WHERE {", blocks, "}", *self._modifiers(node)])
            head = "CONSTRUCT { " + self._triples(_get(node, "template") or []) + " }"
        elif name == "DescribeQuery":
            targets = _get(node, "var")
            head = "DESCRIBE " + (" ".join(self.term(t) for t in targets) if targets else "*")
        else:
            raise Refused("unsupported", f"the query form {name} is not forwarded")
        parts = [head, *self._datasets(node)]
        if _get(node, "where") is not None:
            parts += ["WHERE", self.group(node["where"])]
        return " ".join(parts + self._modifiers(node))

    def _select_clause(self, node) -> str:
        parts = ["SELECT"]
        if _get(node, "modifier"):
            parts.append(str(node["modifier"]))
        projection = _get(node, "projection")
        if not projection:
            parts.append("*")
        for item in projection or []:
            if _get(item, "var") is not None:
                parts.append(self.term(item["var"]))
            else:
                parts.append(f"( {self.expression(item['expr'])} AS {self.term(item['evar'])} )")
        return " ".join(parts)

    def _datasets(self, node) -> list[str]:
        clauses = []
        for clause in _get(node, "datasetClause") or []:
            if _get(clause, "default") is not None:
                clauses.append("FROM " + self.term(clause["default"]))
            else:
                clauses.append("FROM NAMED " + self.term(clause["named"]))
        return clauses

    def _modifiers(self, node) -> list[str]:
        parts = []
        if _get(node, "groupby") is not None:
            parts.append("GROUP BY " + " ".join(self._group_condition(c) for c in node["groupby"]["condition"]))
        if _get(node, "having") is not None:
            parts.append("HAVING " + " ".join(self.constraint(c) for c in node["having"]["condition"]))
        if _get(node, "orderby") is not None:
            parts.append("ORDER BY " + " ".join(self._order_condition(c) for c in node["orderby"]["condition"]))
        limits = _get(node, "limitoffset")
        if limits is not None:
            if _get(limits, "limit") is not None:
                parts.append("LIMIT " + _integer(limits["limit"]))
            if _get(limits, "offset") is not None:
                parts.append("OFFSET " + _integer(limits["offset"]))
        if _get(node, "valuesClause") is not None:
            parts.append(self._values(node["valuesClause"]))
        return parts

    def _group_condition(self, condition) -> str:
        if getattr(condition, "name", None) == "GroupAs":
            alias = f" AS {self.term(condition['var'])}" if _get(condition, "var") is not None else ""
            return f"( {self.expression(condition['expr'])}{alias} )"
        return self.constraint(condition)

    def _order_condition(self, condition) -> str:
        if _get(condition, "order"):
            return f"{condition['order']} ( {self.expression(condition['expr'])} )"
        return self.constraint(condition["expr"])

    def constraint(self, node) -> str:
        """A FILTER, HAVING, ORDER BY or GROUP BY condition: a call as it is, an expression bracketed."""
        return self.operand(node)

    # -- graph patterns
    def group(self, node) -> str:
        if node.name == "SubSelect":
            parts = [self._select_clause(node), "WHERE", self.group(node["where"]), *self._modifiers(node)]
            return "{ " + " ".join(parts) + " }"
        if node.name != "GroupGraphPatternSub":
            raise Refused("unsupported", f"the pattern {node.name} is not forwarded")
        return "{ " + " ".join(self._part(part) for part in _get(node, "part") or []) + " }"

    def _part(self, part) -> str:
        name = part.name
        if name == "TriplesBlock":
            return self._triples(_get(part, "triples") or [])
        if name == "OptionalGraphPattern":
            return "OPTIONAL " + self.group(part["graph"])
        if name == "MinusGraphPattern":
            return "MINUS " + self.group(part["graph"])
        if name == "GroupOrUnionGraphPattern":
            return " UNION ".join(self.group(g) for g in part["graph"])
        if name == "GraphGraphPattern":
            return f"GRAPH {self.term(part['term'])} {self.group(part['graph'])}"
        if name == "Filter":
            return "FILTER " + self.constraint(part["expr"])
        if name == "Bind":
            return f"BIND ( {self.expression(part['expr'])} AS {self.term(part['var'])} )"
        if name == "InlineData":
            return self._values(part)
        raise Refused("unsupported", f"the pattern {name} is not forwarded")

    def _triples_blocks(self, node) -> str:
        return " ".join(self._triples(_get(block, "triples") or []) for block in _get(node, "part") or [])

    def _triples(self, groups) -> str:
        terms = [term for group in groups for term in group]
        if len(terms) % 3:
            raise Refused("unsupported", "a triple pattern could not be read back as subject, predicate, object")
        return " ".join(f"{self.term(terms[i])} {self.path(terms[i + 1])} {self.term(terms[i + 2])} ."
                        for i in range(0, len(terms), 3))

    def _values(self, node) -> str:
        variables = list(_get(node, "var") or [])
        rows = list(_get(node, "value") or [])
        full = len(variables) != 1 or any(_is_sequence(row) for row in rows)
        if not full:
            return f"VALUES {self.term(variables[0])} {{ " + " ".join(self._value(v) for v in rows) + " }"
        head = "( " + " ".join(self.term(v) for v in variables) + " )"
        body = " ".join("( " + " ".join(self._value(v) for v in _row(row)) + " )" for row in rows)
        return f"VALUES {head} {{ {body} }}"

    def _value(self, value) -> str:
        return "UNDEF" if isinstance(value, str) and value == "UNDEF" else self.term(value)

    # -- paths
    def path(self, node) -> str:
        name = getattr(node, "name", None)
        if name == "PathAlternative":
            return " | ".join(self._path_sequence(part) for part in node["part"])
        return self.term(node)   # a variable or an IRI as the predicate

    def _path_sequence(self, node) -> str:
        return " / ".join(self._path_element(part) for part in node["part"])

    def _path_element(self, node) -> str:
        if node.name == "PathEltOrInverse":
            return "^" + self._path_element(node["part"])
        if node.name != "PathElt":
            raise Refused("unsupported", f"the path form {node.name} is not forwarded")
        primary = node["part"]
        name = getattr(primary, "name", None)
        if name == "PathAlternative":
            text = "( " + self.path(primary) + " )"
        elif name == "PathNegatedPropertySet":
            members = [self._negated_member(m) for m in _get(primary, "part") or []]
            text = "!( " + " | ".join(members) + " )" if members else "!( )"
        elif name is not None and name != "pname":
            raise Refused("unsupported", f"the path form {name} is not forwarded")
        else:
            text = self.term(primary)
        return text + (str(node["mod"]) if _get(node, "mod") else "")   # a modifier is written attached

    def _negated_member(self, member) -> str:
        if getattr(member, "name", None) == "InversePath":
            # rdflib's parser keeps no IRI for `!^:p` (its InversePath node is empty), so what the client
            # meant cannot be written back: refused rather than guessed.
            raise Refused("unsupported", "an inverse step inside a negated property set (!^p) cannot be "
                                         "forwarded; write it as ^!p or with FILTER NOT EXISTS")
        return self.term(member)

    # -- expressions
    def expression(self, node) -> str:
        """An expression in a slot the grammar calls Expression (no brackets needed around it)."""
        name = getattr(node, "name", None)
        if name in ("ConditionalOrExpression", "ConditionalAndExpression"):
            joiner = " || " if name == "ConditionalOrExpression" else " && "
            return joiner.join([self.operand(node["expr"])] + [self.operand(o) for o in _get(node, "other") or []])
        if name == "RelationalExpression":
            left = self.operand(node["expr"])
            if _get(node, "op") is None:
                return left
            op = str(node["op"])
            if op in ("IN", "NOT IN"):
                return f"{left} {op} {self._expression_list(node['other'])}"
            return f"{left} {op} {self.operand(node['other'])}"
        if name in ("AdditiveExpression", "MultiplicativeExpression"):
            text = self.operand(node["expr"])
            for op, other in zip(_get(node, "op") or [], _get(node, "other") or []):
                text += f" {op} {self.operand(other)}"
            return text
        if name in _UNARY:
            return f"{_UNARY[name]} {self.operand(node['expr'])}"
        if name is not None and name.startswith("Builtin_"):
            return self._builtin(node)
        if name is not None and name.startswith("Aggregate_"):
            return self._aggregate(node)
        if name == "Function":
            return self._function(node)
        if name in (None, "pname", "literal"):
            return self.term(node)
        raise Refused("unsupported", f"the expression form {name} is not forwarded")

    def operand(self, node) -> str:
        """An expression inside another: a whole Expression there came from brackets and keeps them."""
        if getattr(node, "name", None) == "ConditionalOrExpression":
            return f"( {self.expression(node)} )"
        return self.expression(node)

    def _expression_list(self, value) -> str:
        if _is_nil(value):
            return "()"
        return "( " + " , ".join(self.expression(e) for e in value) + " )"

    def _builtin(self, node) -> str:
        name = node.name.removeprefix("Builtin_")
        if node.name in _NO_ARGUMENT:
            return f"{name}()"
        if name == "EXISTS":
            return "EXISTS " + self.group(node["graph"])
        if name == "NOTEXISTS":
            return "NOT EXISTS " + self.group(node["graph"])
        if name in ("CONCAT", "COALESCE"):
            return name + self._expression_list(node["arg"])
        if name == "BNODE" and _get(node, "arg") is None:
            return "BNODE()"
        names = _BUILTIN_ARGUMENTS.get(name, ("arg",))
        arguments = [self.expression(node[n]) for n in names if _get(node, n) is not None]
        return f"{name}( " + " , ".join(arguments) + " )"

    def _aggregate(self, node) -> str:
        name = node.name.removeprefix("Aggregate_")
        keyword = "GROUP_CONCAT" if name == "GroupConcat" else name.upper()
        distinct = "DISTINCT " if _get(node, "distinct") else ""
        argument = node["vars"]
        inner = "*" if isinstance(argument, str) and argument == "*" else self.expression(argument)
        if _get(node, "separator") is not None:
            inner += " ; SEPARATOR = " + self._string(str(node["separator"]))
        return f"{keyword}( {distinct}{inner} )"

    def _function(self, node) -> str:
        arguments = _get(node, "expr")
        if not arguments:
            return f"{self.term(node['iri'])}()"
        distinct = "DISTINCT " if _get(node, "distinct") else ""
        return f"{self.term(node['iri'])}( {distinct}" + " , ".join(self.expression(a) for a in arguments) + " )"

    # -- terms
    def term(self, node) -> str:
        from rdflib.plugins.sparql.parserutils import CompValue
        from rdflib.term import BNode, Literal, URIRef, Variable

        if isinstance(node, Variable):
            return "?" + str(node)
        if isinstance(node, BNode):
            return f"_:b{self.blank.setdefault(node, len(self.blank))}"
        if isinstance(node, CompValue) and node.name == "literal":
            datatype = _get(node, "datatype")
            return self._literal(str(node["string"]), _get(node, "lang"),
                                 _absolute(self.prologue, datatype) if datatype is not None else None)
        if isinstance(node, Literal):
            return self._literal(str(node), node.language, node.datatype)
        if isinstance(node, CompValue) and node.name == "pname" or isinstance(node, URIRef):
            return _iri(str(_absolute(self.prologue, node)))
        raise Refused("unsupported", f"the term {node!r} is not forwarded")

    def _literal(self, lexical: str, language, datatype) -> str:
        text = self._string(lexical)
        if language:
            return f"{text}@{language}"
        if datatype is not None:
            return f"{text}^^{_iri(str(datatype))}"
        return text

    @staticmethod
    def _string(value: str) -> str:
        return '"' + "".join(_ECHAR.get(c, c) for c in value) + '"'


_IRI_FORBIDDEN = set('<>"{}|^`\\')


def _iri(value: str) -> str:
    if ":" not in value:
        raise Refused("syntax", f"the IRI <{value}> is relative and there is no base to resolve it against")
    if any(c in _IRI_FORBIDDEN or ord(c) <= 0x20 for c in value):
        raise Refused("syntax", f"the IRI <{value}> holds a character an IRI may not hold")
    return f"<{value}>"


def _integer(value) -> str:
    text = str(value)
    if not text.isdigit() or not text.isascii():
        raise Refused("syntax", f"LIMIT and OFFSET take a whole number, not {text}")
    return text


def _get(node, key, default=None):
    """A parameter of a parse-tree node, or `default`. (rdflib's CompValue.get returns the key's own
    name when it is missing, so it cannot be used to test for a parameter.)"""
    return dict.get(node, key, default)


def _is_sequence(value) -> bool:
    return isinstance(value, (list, tuple)) or type(value).__name__ == "ParseResults"


def _is_nil(value) -> bool:
    from rdflib.term import URIRef

    return isinstance(value, URIRef) and str(value) == RDF_NIL


def _row(row) -> list:
    return [] if _is_nil(row) else list(row)
