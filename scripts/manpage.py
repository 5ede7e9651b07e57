#!/usr/bin/env python3
"""Writes atmo-connect(1) in roff from the command line's own definitions.

Reads the JSON that `atmo-connect --experimental-dump-help` prints (swift-argument-parser's description of every
command, option and help text) on standard input, and writes the manual page on standard output, so the page says
exactly what `--help` says and cannot drift from it.
"""
import datetime
import json
import re
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


# What the commands read from the environment (the code reads these names and no others of the operator's).
ENVIRONMENT = [
    ("OS_CLOUD", "The cloud in clouds.yaml to use when --os-cloud is not given (check; the wizard's default credentials source)."),
    ("OS_CLIENT_CONFIG_FILE", "The clouds.yaml to read instead of ./clouds.yaml, ~/.config/openstack/clouds.yaml and /etc/openstack/clouds.yaml."),
    ("OS_CLIENT_SECURE_FILE", "The secure.yaml that holds the clouds' passwords, as the openstack client reads it."),
    ("OS_AUTH_URL, OS_USERNAME, OS_PROJECT_NAME, ...", "The OS_* variables of an openrc already sourced: the credentials when no clouds.yaml names a cloud."),
    ("OS_PASSWORD, OS_APPLICATION_CREDENTIAL_SECRET", "The secret for check when the credentials carry none; else it is asked for on the terminal."),
    ("ATMO_*", "A secret an answers file names as {from_env: ATMO_...}, such as ATMO_ATMOADMIN_PASSWORD (export --template names each)."),
    ("XDG_STATE_HOME", "Where the state directory is, when --state-dir is not given (default ~/.local/state)."),
    ("NO_COLOR", "When set and not empty, the wizard draws without colour."),
    ("LANG, LC_ALL, LC_CTYPE", "A locale that is not UTF-8 (LANG=C) makes the wizard and check show their marks in ASCII."),
    ("TERM, ESCDELAY", "The terminal the wizard drives; how long (ms) Esc waits to tell itself from a key's sequence (default 25)."),
    ("ATMO_CONNECT_SCREENS_DIR", "Read the screens from this folder instead of the built-in ones (as --screens-dir)."),
    ("ATMO_CONNECT_DEMO_PASSWORD", "The demo cloud's admin password (demo --serve-only needs it; otherwise one is made)."),
]

# The wizard's keys, as its help (F1) gives them.
KEYS = [
    ("Tab, Shift-Tab, Up, Down", "Move between fields; Shift-Tab from the first field reaches the step list."),
    ("Enter", "Confirm a field, run the step's button, say yes to a preview."),
    ("Esc", "Undo the edit in progress; pressed again, go to the previous step; leave a box."),
    ("F5 or Ctrl-T", "Run the step (its first button) from any field."),
    ("Space, Left, Right", "Toggle a box; change a choice."),
    ("Ctrl-U, Ctrl-K, Ctrl-W", "Clear to the start or the end of the field; delete a word."),
    ("Ctrl-R", "Bring back the worked-out value of a field."),
    ("Ctrl-S", "Skip an optional step; in a preview or block, save it to a file, exactly as shown."),
    ("PgUp, PgDn", "Page through findings, previews and boxes; Home and End go to a preview's first and last page."),
    ("Ctrl-D", "Hand the pasted output of the Atmosphere server to the step."),
    ("F1 or Ctrl-G", "Help for the screen."),
    ("F2 or Ctrl-O", "The log."),
    ("Ctrl-L", "Redraw the screen."),
    ("Ctrl-Z", "Stop the wizard as a shell job; fg brings it back with its screen."),
    ("Ctrl-C", "Cancel a running check, then offer to quit."),
    ("F10 or Ctrl-Q", "Quit (answers and progress are kept)."),
]

EXAMPLES = [
    ("Check a cloud from an openrc, trusting your own CA, as a person reads it:",
     "atmo-connect check --openrc ~/admin-openrc.sh --cacert /etc/ssl/my-ca.pem"),
    ("The same as a Nagios plugin, for a cloud whose names DNS does not know here:",
     "atmo-connect check --os-cloud prod --format nagios --resolve keystone.example.org:5000:192.0.2.10"),
    ("Walk through every step in the full-screen wizard:", "atmo-connect"),
    ("Write a template of every answer, fill it in, then run every step unattended:",
     "atmo-connect export --template --answers answers.yaml; atmo-connect apply --answers answers.yaml"),
    ("See where a session stands, as JSON for scripts:", "atmo-connect status --json"),
    ("Try it all against a cloud simulated on this machine:", "atmo-connect demo --scenario wrong-host-glance"),
]


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
        # Each command's exit statuses are in its --help; the page has one section for them all, below.
        discussion = re.split(r"Exit status[^\n]*:\n", discussion)[0]
        if discussion.strip():
            page.append(paragraphs(discussion))
        if command.get("arguments"):
            page.append(".PP\nOptions:")
            page.append(options(command["arguments"]))
    exit_status = re.split(r"Exit status[^\n]*:\n", tool.get("discussion", ""))
    if len(exit_status) > 1:
        page.append(".SH EXIT STATUS")
        prose = []
        for line in exit_status[1].strip("\n").split("\n"):
            code, _, meaning = line.strip().partition(" ")
            if code.isdigit():
                page.append(".TP\n\\fB%s\\fR\n%s" % (roff(code), roff(meaning.strip())))
            else:
                prose.append(line.strip())
        if prose:
            page.append(".PP\n" + roff(" ".join(prose)))
    page += [".SH ENVIRONMENT"]
    for variable, meaning in ENVIRONMENT:
        page.append(".TP\n\\fB%s\\fR\n%s" % (roff(variable), roff(meaning)))
    page += [".SH KEYS", roff("In the full-screen wizard (F1 shows them too):")]
    for key, meaning in KEYS:
        page.append(".TP\n\\fB%s\\fR\n%s" % (roff(key), roff(meaning)))
    page += [".SH EXAMPLES"]
    for what, command in EXAMPLES:
        page.append(".PP\n%s\n.PP\n.RS\n\\fB%s\\fR\n.RE" % (roff(what), roff(command)))
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
