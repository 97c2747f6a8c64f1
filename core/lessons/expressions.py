"""The small expression language of lessons: checks and numbers in the text.

A lesson writes ``final.val_accuracy >= 0.9 and not diverged`` as a check, ``100 * majority_share``
as the number a learner guesses, and ``{final.val_accuracy:.1%}`` in its text. Only this much of
Python is allowed (parsed with ``ast``, never ``eval``): numbers, strings, names, ``a.b`` where a is
a name, calls of a name with constant or expression arguments, + - * / **, comparisons, and / or /
not, abs / min / max / round. Anything else is a LessonError naming what is not allowed.

    expression = Expression.parse("final.val_accuracy - final.train_accuracy")
    expression.names()          -> {("final", "val_accuracy"), ("final", "train_accuracy")}
    expression.evaluate(facts)  -> a number (facts: {"final": {"val_accuracy": 0.97, ...}, ...})
"""
import ast
import operator
import re

from core.errors import ConfigError

BUILTINS = {"abs": abs, "min": min, "max": max, "round": round}
_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.Pow: operator.pow}
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}
PLACEHOLDER = re.compile(r"\{([^{}:]+)(?::([^{}]*))?\}")   # {expression} or {expression:format}


class LessonError(ConfigError):
    """A lesson that cannot be read or checked; the message names what and where."""


class MissingFact(LookupError):
    """A name the expression needs has no value yet (e.g. no run has finished)."""


class Expression:
    def __init__(self, text, tree):
        self.text, self.tree = text, tree

    @classmethod
    def parse(cls, text):
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise LessonError(f"cannot read the expression {text.strip()!r}: {error.msg}") from None
        for node in ast.walk(tree):
            _allowed(node)
        return cls(text.strip(), tree)

    def names(self):
        """{(name,), (name, attribute), ("call", function, n_args)} the expression uses."""
        used = set()
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute):
                used.add((node.value.id, node.attr))
            elif isinstance(node, ast.Call):
                used.add(("call", node.func.id, len(node.args)))
            elif isinstance(node, ast.Name) and not _is_part(node, self.tree):
                used.add((node.id,))
        return used

    def evaluate(self, facts):
        """The value with ``facts`` (a dict of names: numbers, dicts for ``a.b``, functions).
        MissingFact when a name has no value."""
        return _value(self.tree.body, facts)

    def __repr__(self):
        return f"Expression({self.text!r})"


def _is_part(name_node, tree):
    """True for the ``a`` of ``a.b`` and the ``f`` of ``f(x)`` (counted with their whole)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.value is name_node:
            return True
        if isinstance(node, ast.Call) and node.func is name_node:
            return True
    return False


def _allowed(node):
    simple = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd,
              ast.BinOp, ast.Compare, ast.Name, ast.Load, ast.Constant, *_BINARY, *_COMPARE)
    if isinstance(node, ast.Attribute):
        if not isinstance(node.value, ast.Name):
            raise LessonError(f"only name.attribute is allowed, not {ast.unparse(node)!r}")
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise LessonError(f"only calls like name(1, 2) are allowed, not {ast.unparse(node)!r}")
        return
    if not isinstance(node, simple):
        raise LessonError(f"{type(node).__name__.lower()} is not allowed in a lesson's expression "
                          f"(numbers, names, + - * / **, comparisons, and/or/not)")


def _lookup(facts, name):
    if name in facts:
        value = facts[name]
    elif name in BUILTINS:
        value = BUILTINS[name]
    else:
        raise MissingFact(name)
    if value is None:
        raise MissingFact(name)
    return value


def _value(node, facts):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return _lookup(facts, node.id)
    if isinstance(node, ast.Attribute):
        whole = _lookup(facts, node.value.id)
        if not isinstance(whole, dict) or whole.get(node.attr) is None:
            raise MissingFact(f"{node.value.id}.{node.attr}")
        return whole[node.attr]
    if isinstance(node, ast.Call):
        return _lookup(facts, node.func.id)(*[_value(arg, facts) for arg in node.args])
    if isinstance(node, ast.UnaryOp):
        operand = _value(node.operand, facts)
        return {ast.Not: lambda v: not v, ast.USub: operator.neg, ast.UAdd: operator.pos}[type(node.op)](operand)
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_value(node.left, facts), _value(node.right, facts))
    if isinstance(node, ast.BoolOp):
        values = (_value(v, facts) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare):
        left = _value(node.left, facts)
        for op, right_node in zip(node.ops, node.comparators):
            right = _value(right_node, facts)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    raise LessonError(f"cannot evaluate {ast.unparse(node)!r}")


def placeholders(text):
    """[(expression text, format spec or '', (start, end))] of the {...} in a lesson's text."""
    return [(m.group(1), m.group(2) or "", m.span()) for m in PLACEHOLDER.finditer(text)]


def fill(text, facts):
    """``text`` with every {expression:format} replaced by its value; a value not known yet shows
    as "…" (the text is shown again once the run has measured it)."""
    def one(match):
        expression, spec = match.group(1), match.group(2) or ""
        try:
            value = Expression.parse(expression).evaluate(facts)
            return format(value, spec) if spec else _plain(value)
        except (MissingFact, LessonError, TypeError, ValueError, ZeroDivisionError):
            return "…"
    return PLACEHOLDER.sub(one, text)


def _plain(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
