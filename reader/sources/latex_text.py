"""LaTeX math as readable text, and the doubled math of Hugging Face's Markdown made single.

The Markdown built from arXiv's HTML writes each formula twice, the rendered symbols then
their LaTeX source (``∼\\sim 47.0%``, ``π θ\\pi_{\\theta}``). ``tidy_math`` finds the LaTeX
runs, turns each into text (``\\frac{a}{b}`` → ``a/b``, ``\\alpha`` → ``α``, ``x^{2}`` → ``x²``)
and drops the rendered copy in front of it when the two say the same thing.

A small converter of the common commands rather than a TeX engine: unknown commands lose
their backslash and keep their arguments, so nothing is hidden and nothing can loop.
"""

from __future__ import annotations

import re
import unicodedata

SYMBOLS: dict[str, str] = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # relations and operators
    "sim": "∼", "approx": "≈", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "ll": "≪", "gg": "≫",
    "times": "×", "cdot": "·", "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮",
    "ddots": "⋱", "pm": "±", "mp": "∓", "div": "÷", "ast": "∗", "star": "⋆", "circ": "∘",
    "bullet": "•", "oplus": "⊕", "otimes": "⊗", "odot": "⊙",
    "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮", "partial": "∂", "nabla": "∇",
    "infty": "∞", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂", "subseteq": "⊆",
    "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩", "emptyset": "∅", "varnothing": "∅",
    "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬", "land": "∧", "wedge": "∧",
    "lor": "∨", "vee": "∨", "mid": "∣", "parallel": "∥", "perp": "⊥", "top": "⊤", "bot": "⊥",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "leftrightarrow": "↔", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "Leftrightarrow": "⇔", "implies": "⇒", "iff": "⇔", "mapsto": "↦",
    "gets": "←", "uparrow": "↑", "downarrow": "↓", "langle": "⟨", "rangle": "⟩",
    "lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉", "lVert": "‖", "rVert": "‖",
    "Vert": "‖", "vert": "|", "|": "‖", "ell": "ℓ", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ",
    "aleph": "ℵ", "prime": "′", "angle": "∠", "triangle": "△", "square": "□", "checkmark": "✓",
    "dagger": "†", "S": "§", "%": "%", "&": "&", "#": "#", "$": "$", "_": "_", "{": "{", "}": "}",
    "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^",
}
WORDS = frozenset(
    "log ln exp min max sin cos tan sinh cosh tanh arg argmin argmax sup inf lim det dim ker "
    "Pr deg gcd mod bmod pmod".split()
)
SPACES: dict[str, str] = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "quad": " ", "qquad": " ",
                          "enspace": " ", "thinspace": " ", "medspace": " ", "thickspace": " "}
DROPPED = frozenset(
    "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr middle displaystyle textstyle "
    "scriptstyle limits nolimits nonumber notag label".split()
)
STYLES = frozenset(
    "text textrm textit textbf texttt textsf textsc emph mathrm mathit mathbf mathsf mathtt "
    "mathcal mathbb mathfrak mathscr boldsymbol bm operatorname mbox hbox underline overline "
    "widehat widetilde mathring ul uline".split()
)
ACCENTS: dict[str, str] = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304", "vec": "\u20d7",
                           "dot": "\u0307", "ddot": "\u0308"}

_SUPERSCRIPT = str.maketrans("0123456789+-=()nijkT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeoxijkmnt", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₘₙₜ")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")
_SPACE_RUN = re.compile(r" {2,}")
_SPACE_IN_BRACKETS = re.compile(r"(?<=[(\[]) | (?=[)\],])")
MAX_DEPTH = 20  # deeper nesting is shown as it stands: no hostile formula can recurse far


def _group(src: str, at: int) -> tuple[str, int]:
    """The argument starting at ``at`` (a ``{…}`` group, a command or one character) and
    where it ends; spaces before it are skipped."""
    while at < len(src) and src[at] == " ":
        at += 1
    if at >= len(src):
        return "", at
    if src[at] == "{":
        depth = 0
        for end in range(at, len(src)):
            if src[end] == "{":
                depth += 1
            elif src[end] == "}":
                depth -= 1
                if depth == 0:
                    return src[at + 1:end], end + 1
        return src[at + 1:], len(src)
    if src[at] == "\\":
        match = _COMMAND.match(src, at)
        if match:
            return match.group(0), match.end()
    return src[at], at + 1


def _script(body: str, table: dict[int, int], mark: str) -> str:
    """``x^{2}`` → ``²`` where every character has a superscript form, else ``^(…)``."""
    if body and body.translate(table) != body and all(ord(ch) in table for ch in body):
        return body.translate(table)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _wrap(text: str) -> str:
    return text if len(text) <= 1 or text.isalnum() else f"({text})"


def latex_to_text(src: str, depth: int = 0, plain: bool = False) -> str:
    """``src`` (LaTeX math or text) as readable text; ``plain`` writes scripts and fractions
    side by side, as the rendered copy of a formula shows them (for comparing the two)."""
    if depth > MAX_DEPTH:
        return src
    out: list[str] = []
    at = 0
    while at < len(src):
        ch = src[at]
        if ch == "\\":
            match = _COMMAND.match(src, at)
            if match is None:  # a lone backslash at the end
                at += 1
                continue
            name, at = match.group(1), match.end()
            if name in SYMBOLS:
                out.append(SYMBOLS[name])
            elif name in WORDS:
                out.append(f" {name} ")
            elif name in SPACES:
                out.append(SPACES[name])
            elif name in DROPPED:
                continue
            elif name in ("frac", "dfrac", "tfrac", "binom"):
                top, at = _group(src, at)
                bottom, at = _group(src, at)
                top, bottom = latex_to_text(top, depth + 1, plain), latex_to_text(bottom, depth + 1, plain)
                joint = "" if plain else "/" if name != "binom" else " choose "
                out.append(top + bottom if plain else f"{_wrap(top)}{joint}{_wrap(bottom)}")
            elif name == "sqrt":
                body, at = _group(src, at)
                body = latex_to_text(body, depth + 1, plain)
                out.append(body if plain else f"√{_wrap(body)}")
            elif name in ACCENTS:
                body, at = _group(src, at)
                out.append(latex_to_text(body, depth + 1, plain) + ("" if plain else ACCENTS[name]))
            elif name in STYLES:
                body, at = _group(src, at)
                out.append(latex_to_text(body, depth + 1, plain))
            else:
                out.append(name)  # unknown: the word, without its backslash
        elif ch in "^_":
            body, at = _group(src, at + 1)
            text = latex_to_text(body, depth + 1, plain)
            out.append(text if plain else _script(text, _SUPERSCRIPT if ch == "^" else _SUBSCRIPT, ch))
        elif ch in "{}":
            at += 1
        elif ch == "~":
            out.append(" ")
            at += 1
        else:
            out.append(ch)
            at += 1
    text = _SPACE_RUN.sub(" ", "".join(out))
    return _SPACE_IN_BRACKETS.sub("", text).strip()


# A LaTeX run: a command, or a letter run carrying ^ or _, then anything up to a space that
# is outside braces and not inside the formula. Runs that are just words never match.
_RUN_START = re.compile(r"\\[A-Za-z]+|[A-Za-z0-9)\]|]*[_^][{\\A-Za-z0-9]")
_FORMULA_WORD = re.compile(r"[\\_^{}=]|[-+<>×·]$|^[-+<>=×·,]")


def _run_end(text: str, start: int) -> int:
    """Where the LaTeX run starting at ``start`` ends: at the line's end, a closing brace
    with no opener, or a space outside braces unless the word after it is still formula
    (it holds a command, a script or an operator)."""
    depth = 0
    at = start
    while at < len(text):
        ch = text[at]
        if ch == "\\" and at + 1 < len(text):
            at += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return at
            depth -= 1
        elif ch == "\n":
            return at
        elif ch == " " and depth == 0:
            word = text[at + 1:].split(" ", 1)[0]
            if not word or not _FORMULA_WORD.search(word):
                return at
        at += 1
    return at


def _skeleton(text: str) -> str:
    """Text reduced to what a formula's two copies share: compatibility forms (``𝔼`` is
    ``E``, ``²`` is ``2``), no spaces, no root signs."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded if not ch.isspace() and ch != "√" and not unicodedata.combining(ch)
                   and unicodedata.category(ch) != "Cf")


def _rendered_start(before: str, source: str) -> int | None:
    """Where, at the end of ``before``, the rendered copy of the LaTeX ``source`` begins
    (spaces ignored); None when ``before`` does not end with it."""
    want = _skeleton(latex_to_text(source, plain=True))
    if not want:
        return None
    at = len(before)
    matched = ""
    while at > 0 and len(matched) < len(want):
        at -= 1
        piece = _skeleton(before[at])
        if piece:
            matched = piece + matched
    if matched != want:
        return None
    return at


def tidy_math(line: str) -> str:
    """``line`` with each LaTeX run turned into text and the rendered copy before it dropped.

    A run with a command is always converted (leaked LaTeX is unreadable as it stands); a
    run with only ``_`` or ``^`` (``o_{i,t}``) only when its rendered copy stands before
    it, so ``snake_case`` words and URLs keep their underscores.
    """
    if "\\" not in line and "_" not in line and "^" not in line:
        return line
    out = ""
    at = 0
    while True:
        match = _RUN_START.search(line, at)
        if match is None:
            return out + line[at:]
        start = match.start()
        end = max(_run_end(line, start), match.end())
        source = line[start:end]
        before = out + line[at:start]
        cut = _rendered_start(before, source)
        if cut is None and not source.startswith("\\"):
            out = before + source
        else:
            out = (before if cut is None else before[:cut]) + latex_to_text(source)
        at = end
