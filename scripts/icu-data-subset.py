#!/usr/bin/env python3
"""The ICU data the operator's binary carries: a subset of the Swift toolchain's own.

Static Foundation links ICU's whole data package (icudtNN_dat, 34 MB: every locale, collation, converter) as soon
as anything reaches NSRegularExpression, which Yams does. atmo-connect formats no date and compares no string
through ICU (TimeText, Swift Regex); what it still asks ICU's data for is the time-zone database and the locale
basics around it (ITEMS below). This script copies those items, byte for byte, out of the toolchain's
lib_FoundationICU.a into a package of the same format, which Sources/CICUData/icu_data.S links in under the same
symbol, so the linker never pulls the toolchain's full package.

  icu-data-subset.py write OUT      write the subset of the toolchain in use
  icu-data-subset.py check FILE     exit 1 unless FILE is what `write` would write now (and say why)
  icu-data-subset.py list           every item of the toolchain's package with its size
"""
import hashlib
import os
import shutil
import struct
import sys

# The items a run of atmo-connect asks ICU for (scripts/icu-trace.sh lists them; `make release-check` runs the
# tests against the binary that carries only these):
# - the tz database: TimeZone(identifier:) and TimeZone.current, which GRDB's UTC calendar reads for every stored date;
# - the locale basics that calendar's en_US_POSIX locale opens (root, en, the likely subtags, the supplemental data),
#   the currency names of the number format inside the DateFormatter GRDB stores dates with (curr/), and the
#   zones' names a time zone's description reads (zone/);
# - UTS #46 mapping, which Foundation's URL applies to a host name that is not ASCII.
# Not seen asked for in the traces, kept because they are small and their absence would show only on some input:
# windowsZones and res_index (zone and locale lookups), and the emoji and layout properties ICU's regular
# expressions look up for \X and some property classes (Yams' resolver uses ICU's).
ITEMS = [
    "zoneinfo64.res", "timezoneTypes.res", "metaZones.res", "windowsZones.res", "keyTypeData.res",
    "root.res", "en.res", "en_US.res", "en_US_POSIX.res", "res_index.res", "pool.res", "likelySubtags.res",
    "supplementalData.res", "numberingSystems.res",
    "curr/root.res", "curr/en.res", "curr/pool.res", "curr/supplementalData.res",
    "zone/root.res", "zone/en.res", "zone/pool.res",
    "uts46.nrm", "uemoji.icu", "ulayout.icu",
]


def toolchain_archive():
    swift = shutil.which("swift") or shutil.which("swiftc")
    if not swift:
        sys.exit("icu-data-subset: no swift on PATH; run it where the toolchain that builds atmo-connect is.")
    root = os.path.dirname(os.path.dirname(os.path.realpath(swift)))
    path = os.path.join(root, "lib", "swift_static", "linux", "lib_FoundationICU.a")
    if not os.path.exists(path):
        sys.exit(f"icu-data-subset: {path} is missing; this toolchain has no static Foundation.")
    return path


def archive_members(data):
    """(name, bytes) of each member of a System V (GNU) ar archive."""
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    position, long_names = 8, b""
    while position + 60 <= len(data):
        header = data[position:position + 60]
        name, size = header[:16].decode().strip(), int(header[48:58].decode().strip())
        body = data[position + 60:position + 60 + size]
        if name == "//":
            long_names = body
        elif name.startswith("/") and name[1:].isdigit():
            start = int(name[1:])
            name = long_names[start:long_names.index(b"/\n", start)].decode()
        yield name.rstrip("/"), body
        position += 60 + size + (size % 2)


def packaged_data(obj):
    """(symbol, bytes) of the icudtNN_dat symbol an ELF64 little-endian object defines, or None."""
    if obj[:4] != b"\x7fELF" or obj[4] != 2 or obj[5] != 1:
        return None
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", obj, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", obj, shoff + i * shentsize) for i in range(shnum)]
    for kind, link, offset, size, entsize in ((s[1], s[6], s[4], s[5], s[9]) for s in sections):
        if kind != 2:  # SHT_SYMTAB
            continue
        strings = sections[link]
        for at in range(offset, offset + size, entsize):
            name_at, _info, _other, section, value, length = struct.unpack_from("<IBBHQQ", obj, at)
            start = strings[4] + name_at
            name = obj[start:obj.index(b"\0", start)].decode()
            if name.startswith("icudt") and name.endswith("_dat") and 0 < section < len(sections):
                base = sections[section][4] + value
                return name, obj[base:base + length]
    return None


def toolchain_package():
    with open(toolchain_archive(), "rb") as handle:
        archive = handle.read()
    for _name, body in archive_members(archive):
        found = packaged_data(body)
        if found:
            return found
    sys.exit("icu-data-subset: no icudtNN_dat in the toolchain's lib_FoundationICU.a; the ICU packaging changed.")


def items(package):
    """{name: bytes} of an ICU common data package (the TOC format ICU's udata reads)."""
    header_size, = struct.unpack_from("<H", package, 0)
    if package[2:4] != b"\xda\x27" or package[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package")
    count, = struct.unpack_from("<I", package, header_size)
    entries = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    names = [package[header_size + n:package.index(b"\0", header_size + n)].decode() for n, _ in entries]
    ends = [offset for _, offset in entries[1:]] + [len(package) - header_size]
    return {name: package[header_size + offset:header_size + end] for name, (_, offset), end in zip(names, entries, ends)}


def subset(package, wanted):
    header_size, = struct.unpack_from("<H", package, 0)
    everything = items(package)
    prefix = next(iter(everything)).split("/", 1)[0] + "/"
    missing = [name for name in wanted if prefix + name not in everything]
    if missing:
        sys.exit(f"icu-data-subset: the toolchain's ICU data has no {', '.join(missing)}; look again with scripts/icu-trace.sh.")
    chosen = sorted((prefix + name).encode() for name in wanted)  # ICU looks items up by binary search
    table = 4 + 8 * len(chosen)
    names = b"".join(name + b"\0" for name in chosen)
    data_start = table + len(names)
    data_start += (-(header_size + data_start)) % 16  # items start 16-byte aligned, as ICU's own packages do
    toc, blobs, name_offset = struct.pack("<I", len(chosen)), b"", table
    for name in chosen:
        blob = everything[name.decode()]
        toc += struct.pack("<II", name_offset, data_start + len(blobs))
        name_offset += len(name) + 1
        blobs += blob + b"\0" * (-len(blob) % 16)
    return package[:header_size] + toc + names + b"\0" * (data_start - table - len(names)) + blobs


def stamp_header(package):
    """The header icu_data.S includes: the build tracks headers, not .incbin files, so a new package changes it."""
    digest = hashlib.sha256(package).hexdigest()
    return (f"// Written by scripts/icu-data-subset.py with icudt-subset.dat: its SHA-256, so that the assembler runs again\n"
            f"// when the data changes (builds track included headers, not .incbin files).\n"
            f"#define ATMO_ICU_SUBSET_SHA256 \"{digest}\"\n")


def main(argv):
    if len(argv) == 2 and argv[1] == "list":
        _symbol, package = toolchain_package()
        for name, blob in sorted(items(package).items(), key=lambda pair: -len(pair[1])):
            print(f"{len(blob):>10} {name}")
        return 0
    if len(argv) == 3 and argv[1] in ("write", "check"):
        symbol, package = toolchain_package()
        wanted = subset(package, ITEMS)
        header = os.path.join(os.path.dirname(argv[2]), "icudt-subset.h")
        stamp = stamp_header(wanted)
        if argv[1] == "write":
            with open(argv[2], "wb") as handle:
                handle.write(wanted)
            with open(header, "w") as handle:
                handle.write(stamp)
            print(f"{argv[2]}: {symbol}, {len(ITEMS)} items, {len(wanted)} bytes (the toolchain's: {len(package)})")
            return 0
        assembly = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(argv[2]))), "icu_data.S")
        with open(argv[2], "rb") as handle:
            committed = handle.read()
        declared = next((line.split()[1] for line in open(assembly) if line.startswith(".globl")), "(none)")
        stamped = open(header).read() if os.path.exists(header) else ""
        if committed != wanted or declared != symbol or stamped != stamp:
            print(f"{argv[2]} (linked as {declared} by {assembly}) is not the subset of this toolchain's {symbol}: "
                  f"run scripts/icu-data-subset.py write {argv[2]} (it writes icudt-subset.h beside it) and name {symbol} in {assembly}.")
            return 1
        print(f"{argv[2]}: the toolchain's {symbol}, {len(ITEMS)} items, {len(wanted)} bytes")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
