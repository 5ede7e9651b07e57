"""The mechanical Python 2 to 3 port of Atmosphere's own files: syntax only, every prompt, message and branch kept.

What changes, and nothing else:
- the print statement becomes the print function (a trailing comma becomes end=" ", as Python 2 printed a space);
- raw_input becomes input;
- `except X, e:` becomes `except X as e:`;
- `from urlparse import` becomes `from urllib.parse import` (the module's new name).
The upstream files stay byte for byte as they are on disk; the port happens when they are loaded (see launcher.py).
"""
import io
import sys
import tokenize


def port(source):
    """Returns `source` (Python 2 text) as Python 3 text."""
    lines = source.splitlines(keepends=True)
    edits = []  # (row, col, remove_count, insert_text), rows 1-based
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    at_statement_start = True
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind, text = token.type, token.string
        if kind in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL, tokenize.COMMENT):
            if kind == tokenize.NEWLINE:
                at_statement_start = True
            index += 1
            continue
        if kind == tokenize.OP and text == ";":
            at_statement_start = True
            index += 1
            continue
        starts = at_statement_start
        at_statement_start = False
        if kind == tokenize.NAME and text == "print" and starts:
            following = tokens[index + 1]
            if following.type == tokenize.OP and following.string == "(" and closes_statement(tokens, index + 1):
                index += 1
                continue
            # Find the end of the logical line, and the last token that is not a comment.
            end = index + 1
            last = token
            while tokens[end].type not in (tokenize.NEWLINE, tokenize.ENDMARKER) and not (tokens[end].type == tokenize.OP and tokens[end].string == ";"):
                if tokens[end].type not in (tokenize.COMMENT, tokenize.NL):
                    last = tokens[end]
                end += 1
            if last is token:
                edits.append((token.end[0], token.end[1], 0, "()"))
            else:
                edits.append((token.end[0], token.end[1], 1 if lines[token.end[0] - 1][token.end[1]:token.end[1] + 1] == " " else 0, "("))
                if last.type == tokenize.OP and last.string == ",":
                    edits.append((last.start[0], last.start[1], 1, ', end=" ")'))
                else:
                    edits.append((last.end[0], last.end[1], 0, ")"))
            index = end
            continue
        if kind == tokenize.NAME and text == "raw_input":
            edits.append((token.start[0], token.start[1], len(text), "input"))
        if kind == tokenize.NAME and text == "except" and starts:
            depth = 0
            cursor = index + 1
            while not (tokens[cursor].type == tokenize.OP and tokens[cursor].string == ":" and depth == 0):
                piece = tokens[cursor]
                if piece.type == tokenize.OP and piece.string in "([{":
                    depth += 1
                elif piece.type == tokenize.OP and piece.string in ")]}":
                    depth -= 1
                elif piece.type == tokenize.OP and piece.string == "," and depth == 0:
                    edits.append((piece.start[0], piece.start[1], 1, " as"))
                cursor += 1
        if kind == tokenize.NAME and text == "from" and starts and tokens[index + 1].string == "urlparse":
            name = tokens[index + 1]
            edits.append((name.start[0], name.start[1], len("urlparse"), "urllib.parse"))
        index += 1
    for row, col, remove, insert in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + insert + line[col + remove:]
    return "".join(lines)


def closes_statement(tokens, open_index):
    """True when the parenthesis at `open_index` closes at the end of the statement: `print(x)` is already a call."""
    depth = 0
    cursor = open_index
    while True:
        piece = tokens[cursor]
        if piece.type == tokenize.OP and piece.string in "([{":
            depth += 1
        elif piece.type == tokenize.OP and piece.string in ")]}":
            depth -= 1
            if depth == 0:
                following = tokens[cursor + 1]
                return following.type in (tokenize.NEWLINE, tokenize.COMMENT, tokenize.ENDMARKER) or following.string == ";"
        cursor += 1


if __name__ == "__main__":
    sys.stdout.write(port(open(sys.argv[1]).read()))
