namespace TradeNet.Shared.Storage.Backups;

/// <summary><c>backup.json</c> in a backup folder: what was copied, when, and by which build.</summary>
/// <param name="Id">The folder's name under <c>{DataDir}/backups</c>.</param>
/// <param name="TakenAt">When every writer was held back: the instant the copies show.</param>
/// <param name="WritersHeldMs">How long the process's writers waited for the copies.</param>
/// <param name="Release">The informational version of the host that took it (with the commit when the build knew it).</param>
public sealed record BackupManifest(string Id, DateTimeOffset TakenAt, double WritersHeldMs, string? Release, IReadOnlyList<BackupFile> Files);

/// <param name="Name">The file name the service opens in its data folder (catalog.db…).</param>
/// <param name="Sha256">Lower-case hex of the copy's bytes.</param>
public sealed record BackupFile(string Name, long Bytes, string Sha256);

/// <summary>A service's store as registered for backups (<see cref="BackupExtensions.AddSqliteBackup"/>): its SQLite file,
/// or none when the service runs on MongoDB.</summary>
public sealed record BackupSource(Sqlite.SqliteDatabase? Database);

/// <summary>The writers did not all let go in time: nothing was copied.</summary>
public sealed class BackupBusyException(string message) : Exception(message);

/// <summary>Another backup of the process is being taken: this one did not start.</summary>
public sealed class BackupInProgressException(string message) : Exception(message);

/// <summary>The copy failed (disk full, folder not writable…): the partial copy was deleted.</summary>
public sealed class BackupFailedException(string message, Exception inner) : Exception(message, inner);

/// <summary>The backup was not started: the disk has too little room for the copy and the live files (503).</summary>
public sealed class BackupRefusedException(string message) : Exception(message);

/// <summary>What <see cref="SqliteBackups.DeleteAsync"/> did: deleted it, found no complete backup of that id, or found it
/// still being written (it is complete only once its folder has its name).</summary>
public enum BackupDeletion { Deleted, NotFound, BeingWritten }
