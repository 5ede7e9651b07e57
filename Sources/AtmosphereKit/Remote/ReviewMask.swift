import Foundation

/// Runs `add_new_provider.py` on the Atmosphere server so that its review never shows the atmoadmin password or the
/// provider secret: the script is upstream's, run as Python runs a file, with `pprint.pprint` (which prints the review)
/// given copies whose secret strings are masked. Prompts and answers pass as they are: nothing sits between the script
/// and the terminal.
public enum ReviewMask {
    /// What the server shows instead of a secret (ASCII: Python 2 prints it on any terminal).
    public static let mask = "********"

    /// The wrapper (Python 2.7 and 3): argv is the provider JSON, then the script and its arguments. The secrets are
    /// read from the JSON (every `password` and `secret` value), never from the command line.
    public static let script = """
        import json
        import os
        import pprint
        import runpy
        import sys

        json_path, script = sys.argv[1], sys.argv[2]
        with open(json_path) as handle:
            document = json.load(handle)
        secrets = []


        def collect(value, key=None):
            if isinstance(value, dict):
                for inner_key, inner in value.items():
                    collect(inner, inner_key)
            elif isinstance(value, list):
                for inner in value:
                    collect(inner, key)
            elif key in ('password', 'secret') and value:
                secrets.append(value)


        collect(document)
        strings = (type(u''), type(''))


        def mask(value):
            if isinstance(value, dict):
                return dict((key, mask(inner)) for key, inner in value.items())
            if isinstance(value, (list, tuple)):
                return type(value)(mask(inner) for inner in value)
            if isinstance(value, strings):
                for secret in secrets:
                    try:
                        value = value.replace(secret, '\(mask)')
                    except UnicodeError:
                        value = '\(mask)'
            return value


        original = pprint.pprint


        def masked_pprint(value, *args, **kwargs):
            return original(mask(value), *args, **kwargs)


        pprint.pprint = masked_pprint
        sys.argv = [script] + sys.argv[3:]
        sys.path[0] = os.path.dirname(os.path.abspath(script))
        runpy.run_path(script, run_name='__main__')

        """

    /// The lines that run `scripts/add_new_provider.py --from-json JSON` through the wrapper; `json` is a shell word
    /// (it may start with `~/`). `$?` after them is the script's status.
    public static func lines(python: String, json: String) -> [String] {
        RemoteScript.pythonFileLines(python: python, code: script, words: [json, "scripts/add_new_provider.py", "--from-json", json])
    }
}
