namespace TradeNet.CommandLine;

/// <summary>
/// Whether a path a command line names can take the file a run writes at its end (a result, a book, keys), checked before
/// the run: one that could not threw away a solve's whole time limit, or ended in a stack trace once a book was generated
/// or towns registered. One rule for the tools that take such a path (the Matching CLI's --out, the matching benchmark's
/// --write-book, the load benchmark's --keys-file); the benchmarks compile this file too.
/// </summary>
internal static class WritablePaths
{
    /// <summary>Why <paramref name="path"/> cannot take the file, or null. Opened for writing up front (a file it made is
    /// removed again, so a refused run leaves nothing behind): a folder that is there may still refuse it (read only, /proc).</summary>
    public static string? Problem(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) return "needs a file name";
        string full;
        try { full = Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return $"'{path}' is not a valid path: {e.Message}"; }
        if (Directory.Exists(full)) return $"'{path}' is a folder";
        var folder = Path.GetDirectoryName(full);
        if (folder is not null && File.Exists(folder)) return $"'{path}': {folder} is a file, not a folder";
        if (folder is not null && !Directory.Exists(folder)) return $"'{path}': folder {folder} does not exist";
        var existed = File.Exists(full);
        try
        {
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write)) { }
            if (!existed) File.Delete(full);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"'{path}' cannot be written: {e.Message}";
        }
    }
}
