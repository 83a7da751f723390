using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TradeNet.Shared.Storage.Sqlite;

namespace TradeNet.Shared.Storage.Backups;

/// <summary>
/// Online backups of every SQLite file this process registered (<see cref="BackupExtensions.AddSqliteBackup"/>): the
/// writer turn of each file is taken, in path order (two backups at once cannot deadlock), so no write of any of them is
/// half done; each file is copied with <c>VACUUM INTO</c>; the turns are given back; the copies are hashed into
/// <c>backup.json</c>. Every write that consumes an event records it in its inbox and every write that publishes one its
/// outbox row, each in its own file's turn, so in a process hosting several services the copies are one consistent cut.
/// </summary>
public sealed class SqliteBackups(IEnumerable<BackupSource> sources, IOptions<StorageOptions> storage, TimeProvider clock,
    ILogger<SqliteBackups> logger)
{
    public const string ManifestName = "backup.json";
    private const string PartialPrefix = ".partial-";
    // A backup being deleted is renamed first, so a delete cut short never leaves a folder that looks complete.
    private const string DeletingPrefix = ".deleting-";
    // Held open, unshared, by the process writing .partial-{id}: replicas sharing a data folder clean only what no one holds.
    private const string ClaimSuffix = ".lock";

    /// <summary>A backup's folder name as <see cref="TakeAsync"/> makes it: the instant, then its random id. Anything else
    /// (a path, "..", an encoded slash, a folder an operator made) is not a backup of ours. ASCII digits only, and no line
    /// end after it (<c>$</c> would allow one).</summary>
    private static readonly Regex IdPattern = new(@"\A[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}\z", RegexOptions.CultureInvariant);

    public static bool IsBackupId(string? id) => id is not null && IdPattern.IsMatch(id);

    /// <summary>How long a backup waits for the writers in progress to finish theirs: a clearing round writes for seconds.</summary>
    public TimeSpan WaitForWriters { get; init; } = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // One file opened twice in a process (a test) has one turn: taking it twice would wait for ourselves.
    private readonly IReadOnlyList<SqliteDatabase> _databases = sources.Select(s => s.Database).OfType<SqliteDatabase>()
        .DistinctBy(d => d.FullPath, StringComparer.Ordinal).OrderBy(d => d.FullPath, StringComparer.Ordinal).ToList();

    // A backup is this process's when it holds exactly this process's files. The services of the distributed topology
    // share one data folder (the app host's), so each process's backups folder also holds the others' backups: without
    // this, catalog listed, deleted and pruned (Storage:Backups:Keep) matching's and logistics' backups.
    private IReadOnlySet<string> FileNames => _fileNames ??= _databases.Select(d => Path.GetFileName(d.FullPath)).ToHashSet(StringComparer.Ordinal);
    private IReadOnlySet<string>? _fileNames;

    /// <summary>False on MongoDB: nothing of this process is in a file it could copy.</summary>
    public bool HasFiles => _databases.Count > 0;

    public string Folder => Path.GetFullPath(Path.Combine(storage.Value.DataDir, "backups"));

    // One backup at a time: each holds every writer turn while it copies, so a second one queued behind it would hold them
    // again straight after, and repeated requests would pile up holds and copies on the disk.
    private readonly SemaphoreSlim _taking = new(1, 1);

    public async Task<BackupManifest> TakeAsync(CancellationToken ct)
    {
        if (!HasFiles) throw new InvalidOperationException("This process registered no SQLite file to back up.");
        if (!_taking.Wait(0))
        {
            BackupMetrics.Counted("in_progress");
            throw new BackupInProgressException("A backup of this process is being taken; nothing was started. Try again once it has finished.");
        }
        try
        {
            BackupManifest manifest;
            try
            {
                manifest = await TakeOneAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                BackupMetrics.Failed(ex);
                throw;
            }
            BackupMetrics.Taken(clock, manifest.TakenAt);
            // Still one at a time: two prunes at once would count the same backups. Not cancelled by a stop: the backup is
            // taken (a cancellation now would answer that it was not), and a listing and a few deletes are short.
            await PruneAsync(manifest.Id, CancellationToken.None);
            return manifest;
        }
        finally
        {
            _taking.Release();
        }
    }

    // The random id of the backup being written (its folder .partial-{id}), null between backups.
    private volatile string? _writing;

    /// <summary>Free bytes on the file system holding a folder (a test sets its own).</summary>
    public Func<string, long> FreeBytes { get; init; } = folder => new DriveInfo(folder).AvailableFreeSpace;

    // Room left for the live files once the copy is written: a copy that filled the disk would fail the services' own
    // writes (503) until it was deleted.
    private const long MinimumRoomLeft = 256L * 1024 * 1024;

    /// <summary>Refuses before copying anything when the copy would leave the disk with less room than the live files take
    /// (and at least <see cref="MinimumRoomLeft"/>).</summary>
    private void CheckRoom()
    {
        var live = _databases.Sum(d => Size(d.FullPath) + Size(d.FullPath + "-wal"));
        var existing = Folder;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        long free;
        try
        {
            free = FreeBytes(existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            logger.LogWarning(ex, "Free space under {Folder} is unknown; the backup goes ahead", existing);
            return;
        }
        var needed = live + Math.Max(live, MinimumRoomLeft);
        if (free >= needed) return;
        logger.LogError("Backup refused: {Free} bytes free under {Folder}, {Needed} needed ({Live} for the copy, the rest left for the live files)",
            free, existing, needed, live);
        throw new BackupRefusedException(
            $"Not enough free disk space for a backup: the copy takes about {Megabytes(live)} MB and leaves less than {Megabytes(Math.Max(live, MinimumRoomLeft))} MB " +
            $"for the live files ({Megabytes(free)} MB free); nothing was copied. Free some space (old backups) and try again.");
    }

    private void Restrict(string file)
    {
        // Not possible on a file system without Unix modes (a mounted share): the backup folder's own rights are all there
        // is, and a backup with them beats none.
        if (PrivateFile.TryRestrict(file) is { } why) logger.LogWarning(why, "Backup file {File} keeps the rights its file system gave it", file);
    }

    /// <summary>A test's hook, run with a path just before it is read where another process may remove it first: the live
    /// <c>-wal</c> (SQLite deletes it when the file's last connection closes) or the backups folder (deleted by hand).</summary>
    internal Action<string>? Reading { get; init; }

    /// <summary>A test's hook, run with each file or folder just after it was flushed to the disk.</summary>
    internal Action<string>? Flushed { get; init; }

    // One read, and a file gone by then counts nothing: checking that it exists first left a moment for the -wal to vanish
    // before its length was read, and the backup answered 500.
    private long Size(string path)
    {
        Reading?.Invoke(path);
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);

    private async Task<BackupManifest> TakeOneAsync(CancellationToken ct)
    {
        CheckRoom();
        var id = Guid.NewGuid().ToString("N")[..8];
        var partial = Path.Combine(Folder, PartialPrefix + id);
        FileStream? claim = null;
        try
        {
            PrivateDirectory.Create(Folder);
            // The claim before the folder: a folder .partial-{id} whose claim nobody holds is a crash's leftover.
            claim = new FileStream(partial + ClaimSuffix, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            PrivateDirectory.Create(partial);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LetGo(claim, partial);
            // The answer goes to the caller: the path and the error (which may name other paths) go to the log only.
            logger.LogError(ex, "The backup folder {Folder} cannot be written", Folder);
            throw new BackupFailedException(
                $"The backup folder (backups in the service's data folder) cannot be written: {Problem(ex)}; nothing was copied. The service's log says more.", ex);
        }
        _writing = id;
        try
        {
            return await WriteAsync(id, partial, ct);
        }
        finally
        {
            _writing = null;
            LetGo(claim, partial);
        }
    }

    private async Task<BackupManifest> WriteAsync(string id, string partial, CancellationToken ct)
    {
        try
        {
            var (takenAt, held) = await CopyAllAsync(partial, ct);
            var files = new List<BackupFile>();
            foreach (var database in _databases)
            {
                var copy = Path.Combine(partial, Path.GetFileName(database.FullPath));
                await HandOverAgainAsync(copy, ct);
                files.Add(await DescribeAsync(copy, ct));
            }
            var name = takenAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + id;
            var manifest = new BackupManifest(name, takenAt, Math.Round(held.TotalMilliseconds, 1), Release(), files);
            await File.WriteAllTextAsync(Path.Combine(partial, ManifestName), JsonSerializer.Serialize(manifest, Json), ct);
            // The copies hold every key hash and handover code: a file copied out of this private folder stays private.
            foreach (var file in Directory.GetFiles(partial)) Restrict(file);
            // On the disk before the name: VACUUM INTO never flushes its copy (SQLite's documentation; the hand-over's
            // commit did, as a side effect) and the manifest's write did not either, so a power cut after the rename (and
            // after the pruning that follows it) could leave the newest backup unreadable and the older ones deleted.
            foreach (var file in Directory.GetFiles(partial)) ToDisk(file, DiskFlush.File);
            ToDisk(partial, DiskFlush.Folder);
            // Only a complete backup gets a name the listing shows and an operator restores from.
            Directory.Move(partial, Path.Combine(Folder, name));
            NameToDisk(name);
            logger.LogInformation("Backup {Id} taken: {Files} files, {Bytes} bytes, writers held back {Held} ms",
                name, files.Count, files.Sum(f => f.Bytes), manifest.WritersHeldMs);
            return manifest;
        }
        catch (Exception ex)
        {
            TryDelete(partial);
            if (ex is BackupBusyException or OperationCanceledException) throw;
            logger.LogError(ex, "Backup {Id} failed; its partial copy was deleted", id);
            throw new BackupFailedException("The backup failed (disk full or not writable?) and its partial copy was deleted. The service's log says why.", ex);
        }
    }

    /// <summary>Complete backups of this process's files, newest first: folders whose name is a backup id and whose
    /// <c>backup.json</c> names that folder and exactly the files this process backs up (a process sharing the data folder
    /// with other services' processes sees only its own). A partial one (being written, or left by a crash mid-copy) is not
    /// listed, nor any other folder.</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken ct)
    {
        var folders = Subfolders();
        var manifests = new List<BackupManifest>();
        foreach (var folder in folders)
            if (await ReadManifestAsync(Path.GetFileName(folder), ct) is { } manifest) manifests.Add(manifest);
        return manifests.OrderByDescending(m => m.TakenAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The folders under <see cref="Folder"/>: none when it is not there (none yet, or deleted by hand as it was
    /// listed: checked first, it could go between the two); a <see cref="BackupFailedException"/> naming the problem when it
    /// is there but cannot be read (no permission, a link that loops: those answered 500; a file in its place listed none).</summary>
    private string[] Subfolders()
    {
        try
        {
            Reading?.Invoke(Folder);
            return Directory.GetDirectories(Folder);
        }
        catch (DirectoryNotFoundException) when (!IsFile())
        {
            return [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "The backup folder {Folder} cannot be read", Folder);
            throw new BackupFailedException(
                $"The backup folder (backups in the service's data folder) cannot be read: {Problem(ex)}; nothing was changed. The service's log says more.", ex);
        }
    }

    /// <summary>What is wrong with the backups folder, in words that name no path (the answer's detail goes to the caller).</summary>
    private string Problem(Exception ex)
    {
        if (IsFile()) return "it is a file, not a folder";
        if (ex is UnauthorizedAccessException) return "permission denied";
        // On Unix an IOException's HResult is the errno: its text (strerror) names no path, the exception's message does.
        return ex.HResult is > 0 and < 4096 && Marshal.GetPInvokeErrorMessage(ex.HResult) is { Length: > 0 } text
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : "the file system refused it";
    }

    // A file, or a link to one, in the folder's place (File.Exists alone also says so of a link that loops).
    private bool IsFile()
    {
        var info = new FileInfo(Folder);
        if (!info.Exists) return false;
        try
        {
            return info.LinkTarget is null || info.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The manifest of the complete backup <paramref name="id"/> of this process's files, or null when there is none
    /// of that id (or it is another process's).</summary>
    private async Task<BackupManifest?> ReadManifestAsync(string id, CancellationToken ct)
    {
        if (!IsBackupId(id)) return null;
        var path = Path.Combine(Folder, id, ManifestName);
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, ct) is { } manifest
                   && string.Equals(manifest.Id, id, StringComparison.Ordinal) && IsOfThisProcess(manifest) ? manifest : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            // Backups are also deleted by hand (rm -r): one deleted between the folder's listing and here is gone, not an error.
            logger.LogWarning(ex, "Backup manifest {Path} is unreadable or was deleted; the backup is not listed", path);
            return null;
        }
    }

    // A hand-made or damaged manifest may hold a null entry: not ours, rather than a 500 on the listing.
    private bool IsOfThisProcess(BackupManifest manifest) =>
        manifest.Files is { } files && files.Count == FileNames.Count && files.All(f => f?.Name is { } name && FileNames.Contains(name));

    /// <summary>Deletes the complete backup <paramref name="id"/>. Only a backup id is taken (the route answers 400 for
    /// anything else), so nothing but a folder directly under <see cref="Folder"/> is ever touched.</summary>
    public async Task<BackupDeletion> DeleteAsync(string id, CancellationToken ct)
    {
        if (!IsBackupId(id)) throw new ArgumentException("Not a backup id.", nameof(id));
        if (_writing is { } writing && id.EndsWith("-" + writing, StringComparison.Ordinal)) return BackupDeletion.BeingWritten;
        if (await ReadManifestAsync(id, ct) is null)
        {
            // Throws when the folder cannot be read: that answered 404, as if the backup were not there.
            Subfolders();
            return BackupDeletion.NotFound;
        }
        if (!Discard(id)) return BackupDeletion.NotFound;
        logger.LogInformation("Backup {Id} deleted on request", id);
        return BackupDeletion.Deleted;
    }

    /// <summary>Renames the backup out of the listing (the one step that decides: a second delete of it finds nothing),
    /// then deletes it; what a failed delete leaves is a <c>.deleting-…</c> folder, removed at the next start.</summary>
    private bool Discard(string id)
    {
        var doomed = Path.Combine(Folder, DeletingPrefix + id);
        try
        {
            Directory.Move(Path.Combine(Folder, id), doomed);
        }
        catch (DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogError(ex, "Backup {Id} could not be deleted", id);
            throw new BackupFailedException("The backup could not be deleted; it is still there. The service's log says why.", ex);
        }
        TryDelete(doomed);
        return true;
    }

    /// <summary>After a backup, deletes the oldest complete backups beyond <see cref="BackupSchedulingOptions.Keep"/>, never
    /// the one just taken. A failure is logged: the backup itself was taken, and the next one prunes again.</summary>
    private async Task PruneAsync(string justTaken, CancellationToken ct)
    {
        var keep = storage.Value.Backups.Keep;
        if (keep <= 0) return;
        try
        {
            var older = (await ListAsync(ct)).Where(m => m.Id != justTaken).Skip(keep - 1).ToList();
            foreach (var backup in older)
                if (Discard(backup.Id))
                    logger.LogInformation("Backup {Id} taken {TakenAt:O} deleted: {Keep} newer kept (Storage:Backups:Keep)", backup.Id, backup.TakenAt, keep);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Old backups could not all be deleted after backup {Id}; the next backup tries again", justTaken);
        }
    }

    /// <summary>At start: deletes the <c>.partial-…</c> folders a crash or a stop mid-copy left (but one a process sharing
    /// the data folder is writing now: it holds its claim) and the <c>.deleting-…</c> a delete cut short left. Returns how
    /// many it deleted.</summary>
    public int CleanLeftovers()
    {
        if (!HasFiles) return 0;
        var cleaned = 0;
        try
        {
            CleanLeftovers(ref cleaned);
        }
        catch (DirectoryNotFoundException)
        {
            // None yet, or the folder was deleted (by hand) as it was read: nothing left to clean. Checked first, it could go
            // between the check and the read, and the start logged that the folder could not be read.
        }
        if (cleaned > 0) logger.LogWarning("Deleted {Count} partial backup folders left under {Folder} by a crash or a stop mid-copy (or mid-delete)", cleaned, Folder);
        return cleaned;
    }

    private void CleanLeftovers(ref int cleaned)
    {
        Reading?.Invoke(Folder);
        foreach (var folder in Directory.GetDirectories(Folder))
        {
            var name = Path.GetFileName(folder);
            if (name.StartsWith(DeletingPrefix, StringComparison.Ordinal))
            {
                if (TryDelete(folder)) cleaned++;
            }
            else if (name.StartsWith(PartialPrefix, StringComparison.Ordinal) && TryClaim(folder) is { } claim)
            {
                if (TryDelete(folder)) cleaned++;
                LetGo(claim, folder);
            }
        }
        // A claim whose folder is gone (a crash between the two).
        foreach (var file in Directory.GetFiles(Folder, PartialPrefix + "*" + ClaimSuffix))
        {
            var folder = file[..^ClaimSuffix.Length];
            if (!Directory.Exists(folder) && TryClaim(folder) is { } claim) LetGo(claim, folder);
        }
    }

    private static FileStream? TryClaim(string partial)
    {
        try
        {
            return new FileStream(partial + ClaimSuffix, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Held: that backup is being written; or not ours to take (another account's): left alone either way, and the
            // other leftovers are still cleaned.
            return null;
        }
    }

    private void LetGo(FileStream? claim, string partial)
    {
        if (claim is null) return;
        claim.Dispose();
        try
        {
            File.Delete(partial + ClaimSuffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "The claim {Path} could not be deleted", partial + ClaimSuffix);
        }
    }

    /// <summary>The instant of the newest complete backup on disk, for the age gauge after a restart.</summary>
    public async Task NoteNewestAsync(CancellationToken ct)
    {
        if (HasFiles && (await ListAsync(ct)).FirstOrDefault() is { } newest) BackupMetrics.Noted(clock, newest.TakenAt);
    }

    /// <summary>How long one attempt waits for a file's turn while holding the turns taken before it.</summary>
    private static readonly TimeSpan Attempt = TimeSpan.FromMilliseconds(250);

    /// <summary>Every file's writer turn, in path order. A file whose write goes on (a clearing round, seconds) is not
    /// waited for while the turns taken before it are held, which would stall those files' writers as long: after a short
    /// attempt every turn is given back, and the next attempt comes once that write has ended.</summary>
    private async Task<List<SqliteDatabase>> HoldAllAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var held = new List<SqliteDatabase>();
            SqliteDatabase? busy = null;
            try
            {
                foreach (var database in _databases)
                {
                    var wait = Min(Attempt, WaitForWriters - deadline.Elapsed);
                    if (wait <= TimeSpan.Zero || !await database.HoldWritersAsync(wait, ct)) { busy = database; break; }
                    held.Add(database);
                }
            }
            catch
            {
                foreach (var database in held) database.LetWritersOn();
                throw;
            }
            if (busy is null) return held;
            foreach (var database in held) database.LetWritersOn();
            // Wait for the busy file's write to end, holding nothing else, then try them all again.
            var left = WaitForWriters - deadline.Elapsed;
            if (left <= TimeSpan.Zero || !await busy.HoldWritersAsync(left, ct))
                throw new BackupBusyException(
                    $"The writers of {Path.GetFileName(busy.FullPath)} did not let go within {WaitForWriters.TotalSeconds:0} s; nothing was copied. Try again.");
            busy.LetWritersOn();
            if (deadline.Elapsed >= WaitForWriters)
                throw new BackupBusyException($"The writers did not all let go at once within {WaitForWriters.TotalSeconds:0} s; nothing was copied. Try again.");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<(DateTimeOffset TakenAt, TimeSpan Held)> CopyAllAsync(string folder, CancellationToken ct)
    {
        var held = await HoldAllAsync(ct);
        try
        {
            var since = Stopwatch.GetTimestamp();
            var takenAt = clock.GetUtcNow();
            foreach (var database in _databases)
            {
                await using var connection = database.Open();
                await using var command = connection.CreateCommand();
                // A read transaction of its own: the copy is the file as its last commit left it, WAL included.
                command.CommandText = "VACUUM INTO $path";
                command.Parameters.AddWithValue("$path", Path.Combine(folder, Path.GetFileName(database.FullPath)));
                await command.ExecuteNonQueryAsync(ct);
            }
            return (takenAt, Stopwatch.GetElapsedTime(since));
        }
        finally
        {
            foreach (var database in held) database.LetWritersOn();
        }
    }

    /// <summary>On the in-memory bus an outbox keeps the events it handed over, and its relay hands them over again at its
    /// next start, but only those handed over less than <see cref="OutboxRelay{TStore}.KeptFor"/> ago: the rest it forgets
    /// first. A backup is restored later than that, and among its kept events may be some no consumer had finished at the
    /// cut; made pending in the copy, they all go out again at the restored start, and the consumers' inboxes discard those
    /// they had handled. (On a durable bus a confirmed event is deleted: there is nothing to do.)</summary>
    private static async Task HandOverAgainAsync(string copy, CancellationToken ct)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE outbox SET sent_at = NULL WHERE sent_at IS NOT NULL";
        await command.ExecuteNonQueryAsync(ct);
    }

    private void ToDisk(string path, Action<string> flush)
    {
        flush(path);
        Flushed?.Invoke(path);
    }

    /// <summary>The new name on the disk too. A failure now is logged, not thrown: the backup is complete and listed, and
    /// the file system keeps the name at its own next flush.</summary>
    private void NameToDisk(string name)
    {
        try
        {
            ToDisk(Folder, DiskFlush.Folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "Backup {Id} is complete, but its folder's name could not be flushed to the disk", name);
        }
    }

    private static async Task<BackupFile> DescribeAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return new BackupFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash));
    }

    private static string? Release() =>
        (Assembly.GetEntryAssembly() ?? typeof(SqliteBackups).Assembly).GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private bool TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "The partial backup {Folder} could not be deleted; the next start tries again, or delete it by hand", folder);
            return false;
        }
    }
}
