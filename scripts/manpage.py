#!/usr/bin/env python3
"""Writes atmo-connect(1) in roff from the command line's own definitions.

Reads the JSON that `atmo-connect --experimental-dump-help` prints (swift-argument-parser's description of every
command, option and help text) on standard input, and writes the manual page on standard output, so the page says
exactly what `--help` says and cannot drift from it.
"""
import datetime
import json
import sys


def roff(text):
    """Text safe for roff: backslashes and leading dots or quotes escaped."""
    text = (text or "").replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith(".") or line.startswith("'"):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def paragraphs(text):
    """A discussion: blank lines become paragraph breaks; indented lines (tables) keep their lines."""
    out = []
    for block in (text or "").strip().split("\n\n"):
        lines = block.split("\n")
        if any(line.startswith("  ") for line in lines[1:]):
            out.append(".PP\n" + roff(lines[0]) + "\n.nf\n" + roff("\n".join(lines[1:])) + "\n.fi")
        else:
            out.append(".PP\n" + roff(" ".join(line.strip() for line in lines)))
    return "\n".join(out)


def option_names(argument):
    names = []
    for name in argument.get("names", []):
        prefix = "--" if name["kind"] == "long" else "-"
        names.append("\\fB" + roff(prefix + name["name"]) + "\\fR")
    label = ", ".join(names) if names else "\\fI" + roff(argument.get("valueName", "")) + "\\fR"
    if argument["kind"] == "option":
        label += " \\fI" + roff(argument.get("valueName", "value")) + "\\fR"
    return label


def options(arguments):
    out = []
    for argument in arguments or []:
        if not argument.get("shouldDisplay", True):
            continue
        out.append(".TP\n" + option_names(argument) + "\n" + roff(argument.get("abstract", "")))
        if argument.get("isRepeating"):
            out.append("May be given more than once.")
    return "\n".join(out)


def main():
    tool = json.load(sys.stdin)["command"]
    name = tool["commandName"]
    commands = [c for c in tool.get("subcommands", []) if c.get("shouldDisplay", True) and c["commandName"] != "help"]
    page = [
        '.TH "%s" 1 "%s" "%s" "User Commands"' % (name.upper(), datetime.date.today().isoformat(), name),
        ".SH NAME",
        "%s \\- %s" % (name, roff(tool.get("abstract", ""))),
        ".SH SYNOPSIS",
        "\\fB%s\\fR [\\fIcommand\\fR] [\\fIoptions\\fR]" % name,
        ".SH DESCRIPTION",
        roff(tool.get("abstract", "")),
        ".SH COMMANDS",
    ]
    for command in commands:
        page.append(".SS %s %s" % (name, command["commandName"]))
        page.append(roff(command.get("abstract", "")))
        discussion = command.get("discussion", "")
        # The exit statuses are one table for every command: it has its own section below.
        discussion = discussion.split("Exit status (every command):")[0]
        if discussion.strip():
            page.append(paragraphs(discussion))
        if command.get("arguments"):
            page.append(".PP\nOptions:")
            page.append(options(command["arguments"]))
    exit_status = tool.get("discussion", "").split("Exit status (every command):")
    if len(exit_status) > 1:
        page.append(".SH EXIT STATUS")
        for line in exit_status[1].strip("\n").split("\n"):
            code, _, meaning = line.strip().partition(" ")
            page.append(".TP\n\\fB%s\\fR\n%s" % (roff(code), roff(meaning.strip())))
    page += [
        ".SH FILES",
        ".TP\n\\fI$XDG_STATE_HOME/atmo\\-connect\\fR (or \\fI~/.local/state/atmo\\-connect\\fR)",
        "The state: \\fIstate.db\\fR (answers, never secrets; every step's attempts) and \\fIatmo\\-connect.log\\fR.",
        ".SH SEE ALSO",
        "\\fBopenstack\\fR(1), the README of atmo\\-connect.",
    ]
    sys.stdout.write("\n".join(page) + "\n")


if __name__ == "__main__":
    main()
