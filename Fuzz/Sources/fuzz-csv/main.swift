import FuzzSupport
import WardenCore
import WardenImport

// Fuzz target for `warden import`'s file side (SPEC §5): whatever bytes a CSV file
// holds,
//
//  1. CSVReader returns records and problems, never crashes or hangs; every record
//     and problem names a line of the file, each line at most once, in order;
//  2. a file without quotes reads as its lines split at commas (CR LF or LF, a
//     BOM and empty lines skipped, a line with bytes that are not UTF-8 a problem);
//  3. the records, written back as CSV (LF with quotes only where needed, or BOM,
//     CR LF, every field quoted and blank lines between), read back to the same
//     fields on the lines where they were written;
//  4. ImportFile either refuses the header (line 1) or gives rows and problems
//     that account for every record after it: a row, or a problem naming its line;
//  5. every row it accepts holds only what the server accepts: valid identifiers,
//     a name and email within the server's limits and without control characters,
//     a time after `now` that the server reads back, no username twice; and the
//     requests the importer makes of it parse to the same words (see ImportChecks).

/// A fixed clock, so that a reproducer fails the same way on any day.
let now = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z

FuzzDriver.run { data, count in
    let bytes = FuzzDriver.bytes(data, count)
    let (records, problems) = CSVReader.read(bytes)
    checkLines(bytes, records, problems)
    checkQuoteFree(bytes, records, problems)
    checkRoundTrip(records, spacious: bytes.count % 2 == 1)
    checkImport(bytes, records, problems)
    return 0
}
