using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeNet.Contracts;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Backups;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>Backups of real SQLite files written to at the same time, as two services of one process write theirs: one
/// publishes an event with each item it stores, the other records each event it applies in its inbox.</summary>
public sealed class SqliteBackupsTests : IDisposable
{
    private const string PublisherSchema = "CREATE TABLE IF NOT EXISTS items(id TEXT PRIMARY KEY, changes INTEGER NOT NULL);";
    private const string ConsumerSchema = "CREATE TABLE IF NOT EXISTS applied(id TEXT PRIMARY KEY);";

    private readonly TestSettings _settings = new();

    [Fact]
    public async Task Backups_taken_while_both_files_are_written_are_whole_files_and_one_consistent_cut()
    {
        // Copied in path order, the publisher first: copied one at a time, the consumer's later copy would hold events
        // the publisher's copy had not yet published.
        var publisher = new SqliteDatabase(Path.Combine(_settings.DataDir, "a-publisher.db"), PublisherSchema);
        var consumer = new SqliteDatabase(Path.Combine(_settings.DataDir, "b-consumer.db"), ConsumerSchema);
        var backups = Backups(publisher, consumer);
        using var stop = new CancellationTokenSource();
        var events = Channel.CreateUnbounded<Guid>();
        var writers = new[] { PublishAsync(publisher, events.Writer, stop.Token), ChangeAsync(publisher, stop.Token), ApplyAsync(consumer, events.Reader, stop.Token) };

        var manifests = new List<BackupManifest>();
        for (var i = 0; i < 12; i++)
        {
            await Task.Delay(40);
            manifests.Add(await backups.TakeAsync(default));
        }
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        foreach (var manifest in manifests)
        {
            var folder = Path.Combine(backups.Folder, manifest.Id);
            Assert.Equal(["a-publisher.db", "b-consumer.db", "backup.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var file in manifest.Files)
            {
                var path = Path.Combine(folder, file.Name);
                Assert.Equal("ok", Scalar(path, "PRAGMA integrity_check"));
                Assert.Equal((new FileInfo(path).Length, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))), (file.Bytes, file.Sha256));
            }
            // Every event the consumer's copy applied comes from an item the publisher's copy holds, with its outbox row.
            var items = Column(Path.Combine(folder, "a-publisher.db"), "SELECT id FROM items");
            var applied = Column(Path.Combine(folder, "b-consumer.db"), "SELECT id FROM applied");
            var orphans = applied.Except(items).ToList();
            Assert.True(orphans.Count == 0, $"{manifest.Id}: the consumer applied {orphans.Count} of {applied.Count} events whose item the publisher's copy lacks");
            Assert.Equal(items.Count, Column(Path.Combine(folder, "a-publisher.db"), "SELECT id FROM outbox").Count);
            // The copies open as the services open them.
            _ = new SqliteDatabase(Path.Combine(folder, "a-publisher.db"), PublisherSchema);
        }
        Assert.True(Column(Path.Combine(backups.Folder, manifests[^1].Id, "b-consumer.db"), "SELECT id FROM applied").Count > 10,
            "the consumer applied almost nothing: the test proved nothing");
        Assert.Equal(manifests.Select(m => m.Id).Reverse(), (await backups.ListAsync(default)).Select(m => m.Id));
    }

    [Fact]
    public async Task A_backup_waits_for_a_write_in_progress_and_gives_up_with_busy_when_it_does_not_end_in_time()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "slow.db"), PublisherSchema);
        var backups = new SqliteBackups([new BackupSource(db)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance) { WaitForWriters = TimeSpan.FromMilliseconds(300) };

        await using (var write = await db.BeginWriteAsync())
        {
            var busy = await Assert.ThrowsAsync<BackupBusyException>(() => backups.TakeAsync(default));
            Assert.Contains("slow.db", busy.Message);
        }

        Assert.Empty(Directory.GetFileSystemEntries(backups.Folder));
        await backups.TakeAsync(default); // the writer let go: the next one goes through
    }

    [Fact]
    public async Task A_backup_waiting_for_one_files_long_write_does_not_hold_back_the_other_files_writers_meanwhile()
    {
        // a.db comes first in path order: its turn would be taken, then held while the backup waits for b.db's write.
        var first = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var second = new SqliteDatabase(Path.Combine(_settings.DataDir, "b.db"), PublisherSchema);
        var backups = Backups(first, second);
        Task<BackupManifest> backup;
        TimeSpan waited;
        await using (var longWrite = await second.BeginWriteAsync())
        {
            backup = backups.TakeAsync(default);
            await Task.Delay(300); // the backup is waiting for b.db now
            var clock = Stopwatch.StartNew();
            await using (var write = await first.BeginWriteAsync())
            {
                await write.ExecuteAsync("INSERT INTO items(id, changes) VALUES ('x', 0)");
                await write.CommitAsync();
            }
            waited = clock.Elapsed;
            if (waited < TimeSpan.FromSeconds(3)) await Task.Delay(TimeSpan.FromSeconds(3) - waited); // b.db's write goes on past a.db's
        }

        Assert.True(waited < TimeSpan.FromSeconds(1.5), $"a write of a.db waited {waited.TotalMilliseconds:0} ms for a backup waiting on b.db");
        var manifest = await backup;
        Assert.Single(Column(Path.Combine(backups.Folder, manifest.Id, "a.db"), "SELECT id FROM items"));
    }

    [Fact]
    public async Task A_copy_that_fails_halfway_leaves_no_backup_folder_behind()
    {
        var first = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var gone = Path.Combine(_settings.DataDir, "z", "z.db");
        var second = new SqliteDatabase(gone, PublisherSchema);
        SqliteDatabase.ClearPool(gone);
        Directory.Delete(Path.GetDirectoryName(gone)!, recursive: true); // its folder vanishes: the second copy cannot open it
        var backups = Backups(first, second);

        var failed = await Assert.ThrowsAsync<BackupFailedException>(() => backups.TakeAsync(default));

        Assert.Contains("partial copy was deleted", failed.Message);
        Assert.Empty(Directory.GetFileSystemEntries(backups.Folder));
    }

    [Fact]
    public async Task A_backup_folder_that_cannot_be_made_fails_with_what_is_in_the_way()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        await File.WriteAllTextAsync(Path.Combine(_settings.DataDir, "backups"), "not a folder");

        var failed = await Assert.ThrowsAsync<BackupFailedException>(() => Backups(db).TakeAsync(default));

        Assert.Contains("cannot be written", failed.Message);
    }

    [Fact]
    public async Task A_backup_asked_for_while_another_is_being_taken_is_refused_and_starts_nothing()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var backups = Backups(db);
        Task<BackupManifest> first;
        await using (var write = await db.BeginWriteAsync())
        {
            // The first waits for the write to let go, holding its place: the second must not queue behind it.
            first = backups.TakeAsync(default);
            await Assert.ThrowsAsync<BackupInProgressException>(() => backups.TakeAsync(default));
            Assert.Single(Directory.GetDirectories(backups.Folder)); // the first's .partial-… only
        }
        await first;

        Assert.Single(await backups.ListAsync(default));
        await backups.TakeAsync(default); // the first finished: the next goes through
        Assert.Equal(2, (await backups.ListAsync(default)).Count);
    }

    [Fact]
    public async Task A_failed_backup_says_so_without_the_servers_paths_or_the_errors_wording()
    {
        var first = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var gone = Path.Combine(_settings.DataDir, "z", "z.db");
        var second = new SqliteDatabase(gone, PublisherSchema);
        SqliteDatabase.ClearPool(gone);
        Directory.Delete(Path.GetDirectoryName(gone)!, recursive: true);
        var copyFailed = await Assert.ThrowsAsync<BackupFailedException>(() => Backups(first, second).TakeAsync(default));

        Directory.Delete(Path.Combine(_settings.DataDir, "backups"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(_settings.DataDir, "backups"), "not a folder");
        var folderFailed = await Assert.ThrowsAsync<BackupFailedException>(() => Backups(first).TakeAsync(default));

        // The message is the 503's detail an operator's client reads through the gateway; the log has the rest.
        foreach (var failed in new[] { copyFailed, folderFailed })
        {
            Assert.DoesNotContain(_settings.DataDir, failed.Message);
            Assert.DoesNotContain(failed.InnerException!.Message, failed.Message);
        }
    }

    [Fact]
    public async Task A_backup_that_would_leave_the_disk_too_full_for_the_live_files_copies_nothing_and_says_how_much_is_free()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var live = new FileInfo(db.FullPath).Length;
        long asked = 0;
        var backups = new SqliteBackups([new BackupSource(db)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance)
        {
            // Room for the copy, and a little, but not the 256 MB kept for the live files.
            FreeBytes = folder => { asked++; Assert.True(Directory.Exists(folder), folder); return live + 100L * 1024 * 1024; },
        };

        var refused = await Assert.ThrowsAsync<BackupRefusedException>(() => backups.TakeAsync(default));

        Assert.Equal(1, asked);
        Assert.Contains("Not enough free disk space", refused.Message);
        Assert.DoesNotContain(_settings.DataDir, refused.Message);
        Assert.Empty(await backups.ListAsync(default));
        Assert.False(Directory.Exists(backups.Folder) && Directory.EnumerateFileSystemEntries(backups.Folder).Any());
    }

    /// <summary>A backup holds every town's key hash and every shipment's handover code: its files were created as SQLite
    /// and File.WriteAllText create them (0644 under the usual umask), so a file copied out of the private folder (cp, a
    /// restore into a data folder) was readable by every account of the host.</summary>
    [Fact]
    public async Task A_backups_files_are_readable_by_the_account_running_TradeNet_only()
    {
        if (OperatingSystem.IsWindows()) return; // rights there come from the parent folder
        var backups = Backups(new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema),
            new SqliteDatabase(Path.Combine(_settings.DataDir, "b.db"), ConsumerSchema));

        var manifest = await backups.TakeAsync(default);

        var folder = Path.Combine(backups.Folder, manifest.Id);
        var files = Directory.GetFiles(folder);
        Assert.Equal(3, files.Length);
        foreach (var file in files)
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    /// <summary>VACUUM INTO never asks the disk to keep what it wrote (SQLite's documentation says so), nor did the manifest's
    /// write: the folder got its final name while its files could still be only in the page cache, so a power cut after it
    /// (and after the retention had deleted the older backups) left a folder that looks complete over empty or torn files.
    /// Every file, then the folder's entries, must be on the disk before the name; the name itself after the rename.</summary>
    [Fact]
    public async Task A_backups_files_reach_the_disk_before_its_folder_is_named_complete_and_the_name_after()
    {
        var flushed = new List<(string Path, string[] Folders)>();
        var backups = new SqliteBackups(
            [new BackupSource(new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema)),
             new BackupSource(new SqliteDatabase(Path.Combine(_settings.DataDir, "b.db"), ConsumerSchema))],
            Options.Create(new StorageOptions { DataDir = _settings.DataDir }), TimeProvider.System, NullLogger<SqliteBackups>.Instance)
        {
            // What the backups folder holds at each flush tells whether it came before or after the rename.
            Flushed = path => flushed.Add((path, Directory.GetDirectories(Path.Combine(_settings.DataDir, "backups")).Select(d => Path.GetFileName(d)).ToArray())),
        };

        var manifest = await backups.TakeAsync(default);

        var partial = Assert.Single(flushed.Select(f => Path.GetDirectoryName(f.Path)!).Where(d => Path.GetFileName(d).StartsWith(".partial-", StringComparison.Ordinal)).Distinct());
        var beforeRename = flushed.Where(f => !f.Folders.Contains(manifest.Id)).Select(f => f.Path).ToList();
        Assert.Equal(["a.db", "b.db", "backup.json"], beforeRename.Where(p => p != partial).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(partial, beforeRename[^1]); // the folder's entries once every file is there
        Assert.Equal([backups.Folder], flushed.Where(f => f.Folders.Contains(manifest.Id)).Select(f => f.Path));
    }

    /// <summary>Backups are deleted by hand (Retention in docs/operations.md): a manifest removed between the folder's
    /// listing and its reading threw out of the listing, a 500 for the operator's GET.</summary>
    [Fact]
    public async Task A_backup_removed_while_the_backups_are_listed_is_left_out_of_the_list()
    {
        var backups = Backups(new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema));
        var kept = await backups.TakeAsync(default);
        var removed = Directory.CreateDirectory(Path.Combine(backups.Folder, "20200101T000000Z-0000dead")).FullName;
        // A manifest the listing sees and cannot open: what a deletion between the two steps leaves it.
        File.CreateSymbolicLink(Path.Combine(removed, SqliteBackups.ManifestName), Path.Combine(removed, "deleted.json"));

        var listed = await backups.ListAsync(default);

        Assert.Equal([kept.Id], listed.Select(m => m.Id));
    }

    /// <summary>SQLite deletes a file's -wal when its last connection closes: one gone between the room check's look and its
    /// read of the length threw out of the backup, a 500 for the operator's POST.</summary>
    [Fact]
    public async Task A_live_files_wal_that_vanishes_while_the_room_is_checked_counts_nothing_and_the_backup_is_taken()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        SqliteConnection.ClearAllPools(); // the last connection closed: SQLite checkpointed and removed the -wal
        var wal = db.FullPath + "-wal";
        var vanished = false;
        await File.WriteAllBytesAsync(wal, []); // an empty journal, as a connection opening meanwhile leaves one
        var backups = new SqliteBackups([new BackupSource(db)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance)
        {
            // That connection closes as the room is checked.
            Reading = path => { if (path == wal && File.Exists(wal)) { File.Delete(wal); vanished = true; } },
        };

        var manifest = await backups.TakeAsync(default);

        Assert.True(vanished);
        Assert.Equal([manifest.Id], (await backups.ListAsync(default)).Select(m => m.Id));
    }

    /// <summary>The backups folder deleted by hand while it was listed (looked for, then read) threw out of the listing, a
    /// 500 for the operator's GET: with no folder there is no backup to list.</summary>
    [Fact]
    public async Task The_backups_folder_deleted_while_the_backups_are_listed_lists_none()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        await Backups(db).TakeAsync(default);
        var backups = new SqliteBackups([new BackupSource(db)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance)
        {
            Reading = path => { if (path == Path.Combine(_settings.DataDir, "backups") && Directory.Exists(path)) Directory.Delete(path, recursive: true); },
        };

        var listed = await backups.ListAsync(default);

        Assert.Empty(listed);
        Assert.False(Directory.Exists(backups.Folder));
    }

    [Fact]
    public async Task A_backups_folder_that_cannot_be_read_fails_the_listing_and_the_delete_with_an_error_in_the_log()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var logs = new RecordedLogs();
        using var factory = new LoggerFactory([logs]);
        var backups = new SqliteBackups([new BackupSource(db)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, factory.CreateLogger<SqliteBackups>());
        File.CreateSymbolicLink(backups.Folder, backups.Folder); // a link that loops: root cannot read it either

        var listing = await Assert.ThrowsAsync<BackupFailedException>(() => backups.ListAsync(default));
        var deletion = await Assert.ThrowsAsync<BackupFailedException>(() => backups.DeleteAsync("20261206T070828Z-8c14d55a", default));

        Assert.All(new[] { listing, deletion }, failed => Assert.Contains("cannot be read: too many levels of symbolic links", failed.Message));
        Assert.Equal(2, logs.At<SqliteBackups>(LogLevel.Error).Count(l => l.Contains(backups.Folder, StringComparison.Ordinal)));
    }

    /// <summary>Leftovers were looked for once the folder was seen to exist, then read: a folder deleted between the two threw,
    /// and the start logged that the backup folder could not be read (and skipped noting the newest backup's age).</summary>
    [Fact]
    public async Task The_backups_folder_deleted_while_leftovers_are_looked_for_leaves_nothing_to_clean()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        await Backups(db).TakeAsync(default);
        Directory.CreateDirectory(Path.Combine(_settings.DataDir, "backups", ".partial-0000beef"));
        var backups = new SqliteBackups([new BackupSource(db)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance)
        {
            Reading = path => { if (path == Path.Combine(_settings.DataDir, "backups") && Directory.Exists(path)) Directory.Delete(path, recursive: true); },
        };

        var cleaned = backups.CleanLeftovers();

        Assert.Equal(0, cleaned);
        Assert.False(Directory.Exists(backups.Folder));
    }

    [Theory]
    [InlineData("""{"id":"20200101T000000Z-0000beef","takenAt":"2020-01-01T00:00:00Z","files":[null]}""")]
    [InlineData("""{"id":"20200101T000000Z-0000beef","takenAt":"2020-01-01T00:00:00Z","files":[{"name":null}]}""")]
    [InlineData("""{"id":"20200101T000000Z-0000beef","takenAt":"2020-01-01T00:00:00Z"}""")]
    public async Task A_hand_made_manifest_with_missing_files_is_left_out_of_the_list_and_cannot_be_deleted(string manifest)
    {
        var backups = Backups(new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema));
        var kept = await backups.TakeAsync(default);
        var odd = Directory.CreateDirectory(Path.Combine(backups.Folder, "20200101T000000Z-0000beef")).FullName;
        await File.WriteAllTextAsync(Path.Combine(odd, SqliteBackups.ManifestName), manifest);

        Assert.Equal([kept.Id], (await backups.ListAsync(default)).Select(m => m.Id));
        Assert.Equal(BackupDeletion.NotFound, await backups.DeleteAsync("20200101T000000Z-0000beef", default));
        Assert.True(Directory.Exists(odd));
    }

    /// <summary>The app host's distributed topology runs each service as a process on one data folder: catalog's
    /// process listed matching's backups, deleted them on request and pruned them with its own (Storage:Backups:Keep).</summary>
    [Fact]
    public async Task Processes_sharing_a_data_folder_list_delete_and_prune_only_the_backups_of_their_own_files()
    {
        var catalog = new SqliteDatabase(Path.Combine(_settings.DataDir, "catalog.db"), PublisherSchema);
        var matching = new SqliteDatabase(Path.Combine(_settings.DataDir, "matching.db"), ConsumerSchema);
        var catalogs = new SqliteBackups([new BackupSource(catalog)],
            Options.Create(new StorageOptions { DataDir = _settings.DataDir, Backups = new BackupSchedulingOptions { Keep = 1 } }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance);
        var matchings = Backups(matching);
        // The one-process host's backup of the same folder: three files, none of these processes' alone.
        var whole = await Backups(catalog, matching).TakeAsync(default);

        var matchingsBackup = await matchings.TakeAsync(default);
        await catalogs.TakeAsync(default);
        var catalogsBackup = await catalogs.TakeAsync(default); // Keep = 1: prunes catalog's first backup

        Assert.Equal([catalogsBackup.Id], (await catalogs.ListAsync(default)).Select(m => m.Id));
        Assert.Equal([matchingsBackup.Id], (await matchings.ListAsync(default)).Select(m => m.Id));
        Assert.Equal(BackupDeletion.NotFound, await catalogs.DeleteAsync(matchingsBackup.Id, default));
        Assert.Equal(BackupDeletion.NotFound, await catalogs.DeleteAsync(whole.Id, default));
        Assert.True(Directory.Exists(Path.Combine(matchings.Folder, matchingsBackup.Id)));
        Assert.True(Directory.Exists(Path.Combine(matchings.Folder, whole.Id)));
    }

    /// <summary>Stops the host (cancels) when the backup says it was taken: the moment between the copy's final name and
    /// the retention after it.</summary>
    private sealed class StopWhenTaken(CancellationTokenSource stop) : ILogger<SqliteBackups>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).StartsWith("Backup ", StringComparison.Ordinal) && formatter(state, exception).Contains(" taken: ")) stop.Cancel();
        }
    }

    /// <summary>The retention after a backup ran on the host's stopping token: a stop once the copy had its final name threw
    /// the cancellation out of TakeAsync, so the route answered that no backup was taken (there was one) and the prune was
    /// skipped.</summary>
    [Fact]
    public async Task A_backup_complete_when_the_host_stops_is_answered_as_taken_and_still_pruned()
    {
        var db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema);
        var options = Options.Create(new StorageOptions { DataDir = _settings.DataDir, Backups = new BackupSchedulingOptions { Keep = 1 } });
        var older = await new SqliteBackups([new BackupSource(db)], options, TimeProvider.System, NullLogger<SqliteBackups>.Instance).TakeAsync(default);
        using var stop = new CancellationTokenSource();
        var backups = new SqliteBackups([new BackupSource(db)], options, TimeProvider.System, new StopWhenTaken(stop));

        var taken = await backups.TakeAsync(stop.Token);

        Assert.True(stop.IsCancellationRequested);
        Assert.Equal([taken.Id], (await backups.ListAsync(default)).Select(m => m.Id));
        Assert.NotEqual(older.Id, taken.Id);
    }

    [Fact]
    public void The_free_space_of_the_data_folder_is_read_from_its_file_system()
    {
        var backups = Backups(new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema));

        Assert.InRange(backups.FreeBytes(_settings.DataDir), 1, long.MaxValue);
    }

    [Theory]
    [InlineData("../20261206T070828Z-8c14d55a")]
    [InlineData("..\\20261206T070828Z-8c14d55a")]
    [InlineData("backups/../../20261206T070828Z-8c14d55a")]
    [InlineData("20261206T070828Z-8c14d55a/..")]
    [InlineData("/tmp")]
    [InlineData("")]
    public async Task Deleting_anything_but_a_backup_id_is_refused_before_it_touches_the_disk(string id)
    {
        var backups = Backups(new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), PublisherSchema));
        await backups.TakeAsync(default);
        // A folder looking like a backup just outside the backups folder, where "../{id}" leads.
        var outside = Path.Combine(_settings.DataDir, "20261206T070828Z-8c14d55a");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, SqliteBackups.ManifestName),
            """{"id":"20261206T070828Z-8c14d55a","takenAt":"2026-12-06T07:08:28Z","files":[]}""");

        await Assert.ThrowsAsync<ArgumentException>(() => backups.DeleteAsync(id, default));

        Assert.True(File.Exists(Path.Combine(outside, SqliteBackups.ManifestName)));
        Assert.Single(await backups.ListAsync(default));
    }

    [Fact]
    public async Task A_process_on_mongodb_has_no_file_to_back_up()
    {
        var backups = new SqliteBackups([new BackupSource(null)], Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance);

        Assert.False(backups.HasFiles);
        await Assert.ThrowsAsync<InvalidOperationException>(() => backups.TakeAsync(default));
    }

    private SqliteBackups Backups(params SqliteDatabase[] databases) =>
        new(databases.Select(d => new BackupSource(d)), Options.Create(new StorageOptions { DataDir = _settings.DataDir }),
            TimeProvider.System, NullLogger<SqliteBackups>.Instance);

    private static async Task PublishAsync(SqliteDatabase db, ChannelWriter<Guid> events, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var id = Guid.NewGuid();
            await using (var scope = await db.BeginWriteAsync())
            {
                await scope.ExecuteAsync("INSERT INTO items(id, changes) VALUES ($id, 0)", ("$id", id.ToString()));
                scope.Publish(new TradeCancelled(id, "test", false, []));
                await scope.CommitAsync();
            }
            await events.WriteAsync(id);
            await Task.Yield();
        }
        events.Complete();
    }

    private static async Task ChangeAsync(SqliteDatabase db, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await using var scope = await db.BeginWriteAsync();
            await scope.ExecuteAsync("UPDATE items SET changes = changes + 1 WHERE rowid = (SELECT MAX(rowid) FROM items)");
            await scope.CommitAsync();
        }
    }

    // As a consumer does: the event's id in the inbox and its effect, in one write.
    private static async Task ApplyAsync(SqliteDatabase db, ChannelReader<Guid> events, CancellationToken stop)
    {
        await foreach (var id in events.ReadAllAsync())
        {
            await using var scope = await db.BeginWriteAsync();
            if (await scope.TryConsumeAsync(id, "test"))
                await scope.ExecuteAsync("INSERT INTO applied(id) VALUES ($id)", ("$id", id.ToString()));
            await scope.CommitAsync();
        }
    }

    private static SqliteConnection OpenCopy(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        return connection;
    }

    private static string Scalar(string path, string sql)
    {
        using var connection = OpenCopy(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar())!;
    }

    private static HashSet<string> Column(string path, string sql)
    {
        using var connection = OpenCopy(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    public void Dispose() => _settings.Dispose();
}
