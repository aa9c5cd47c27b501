"""`newsrec-download`: fetch a catalogued release into its publisher's landing folder.

The file is streamed to `<file>.part`, resumed with HTTP Range after a cut, verified (size and
sha256 where the catalogue knows them) and only then renamed into place, so a watcher of the
landing folder never sees a partial file.
"""
