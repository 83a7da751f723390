using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
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

    /// <summary>How long a backup waits for the writers in progress to finish theirs: a clearing round writes for seconds.</summary>
    public TimeSpan WaitForWriters { get; init; } = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    // One file opened twice in a process (a test) has one turn: taking it twice would wait for ourselves.
    private readonly IReadOnlyList<SqliteDatabase> _databases = sources.Select(s => s.Database).OfType<SqliteDatabase>()
        .DistinctBy(d => d.FullPath, StringComparer.Ordinal).OrderBy(d => d.FullPath, StringComparer.Ordinal).ToList();

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
            throw new BackupInProgressException("A backup of this process is being taken; nothing was started. Try again once it has finished.");
        try
        {
            return await TakeOneAsync(ct);
        }
        finally
        {
            _taking.Release();
        }
    }

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
        try
        {
            PrivateFile.Restrict(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file system without Unix modes (a mounted share): the backup folder's own rights are all there is, and a
            // backup with them beats none.
            logger.LogWarning(ex, "Backup file {File} keeps the rights its file system gave it", file);
        }
    }

    private static long Size(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", CultureInfo.InvariantCulture);

    private async Task<BackupManifest> TakeOneAsync(CancellationToken ct)
    {
        CheckRoom();
        var id = Guid.NewGuid().ToString("N")[..8];
        string partial;
        try
        {
            PrivateDirectory.Create(Folder);
            partial = Path.Combine(Folder, PartialPrefix + id);
            PrivateDirectory.Create(partial);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The answer goes to the caller: the path and the error (which may name other paths) go to the log only.
            logger.LogError(ex, "The backup folder {Folder} cannot be written", Folder);
            throw new BackupFailedException("The backup folder (backups in the service's data folder) cannot be written; nothing was copied. The service's log says why.", ex);
        }
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
            // Only a complete backup gets a name the listing shows and an operator restores from.
            Directory.Move(partial, Path.Combine(Folder, name));
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

    /// <summary>Complete backups, newest first (a partial one, left by a crash mid-copy, is not listed).</summary>
    public async Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Folder)) return [];
        var manifests = new List<BackupManifest>();
        foreach (var folder in Directory.GetDirectories(Folder))
        {
            var path = Path.Combine(folder, ManifestName);
            if (Path.GetFileName(folder).StartsWith(PartialPrefix, StringComparison.Ordinal) || !File.Exists(path)) continue;
            try
            {
                await using var stream = File.OpenRead(path);
                if (await JsonSerializer.DeserializeAsync<BackupManifest>(stream, Json, ct) is { } manifest) manifests.Add(manifest);
            }
            // Backups are deleted by hand (rm -r): one deleted between the folder's listing and here is gone, not an error.
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Backup manifest {Path} is unreadable or was deleted; the backup is not listed", path);
            }
        }
        return manifests.OrderByDescending(m => m.TakenAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).ToList();
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

    private static async Task<BackupFile> DescribeAsync(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, ct);
        return new BackupFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash));
    }

    private static string? Release() =>
        (Assembly.GetEntryAssembly() ?? typeof(SqliteBackups).Assembly).GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    private void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(ex, "The partial backup {Folder} could not be deleted; delete it by hand", folder);
        }
    }
}
