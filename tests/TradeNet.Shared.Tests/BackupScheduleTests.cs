using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeNet.Shared.Hosting;
using TradeNet.Shared.Storage;
using TradeNet.Shared.Storage.Backups;
using TradeNet.Shared.Storage.Sqlite;
using TradeNet.Testing;

namespace TradeNet.Shared.Tests;

/// <summary>Scheduled backups, retention and the cleaning at start (docs/operations.md, "Backups and restore"), driven by
/// a fake clock: a period passes when the test says so.</summary>
public sealed class BackupScheduleTests : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    private readonly TestSettings _settings = new();
    private readonly RecordedLogs _logs = new();
    private readonly LoggerFactory _loggers;
    private readonly SqliteDatabase _db;
    private readonly List<BackupSchedule> _started = [];

    public BackupScheduleTests()
    {
        _loggers = new LoggerFactory([_logs]);
        _db = new SqliteDatabase(Path.Combine(_settings.DataDir, "a.db"), "CREATE TABLE IF NOT EXISTS items(id TEXT PRIMARY KEY);");
    }

    [Fact]
    public async Task A_backup_is_taken_once_a_period_has_passed_and_again_at_each_period_after()
    {
        var clock = new FakeTimeProvider(Start);
        var backups = Backups(clock, every: Hour);
        var schedule = await StartAsync(backups, clock, every: Hour);
        await DueAt(schedule, Start + Hour);

        clock.Advance(Hour - TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Empty(await backups.ListAsync(default));

        clock.Advance(TimeSpan.FromSeconds(1));
        await DueAt(schedule, Start + 2 * Hour);
        clock.Advance(Hour);
        await DueAt(schedule, Start + 3 * Hour);

        Assert.Equal([Start + 2 * Hour, Start + Hour], (await backups.ListAsync(default)).Select(m => m.TakenAt));
        Assert.Equal(2, _logs.Of<BackupSchedule>().Count(l => l.StartsWith("Scheduled backup ") && l.Contains(" taken; the next is due at")));
    }

    /// <summary>The fake clock's wall time with a step of its own: an NTP correction or a resumed VM moves the wall clock,
    /// not the time that passes.</summary>
    private sealed class SteppedClock(FakeTimeProvider inner) : TimeProvider
    {
        public TimeSpan Step { get; set; }

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Step;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override long TimestampFrequency => inner.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            inner.CreateTimer(callback, state, dueTime, period);
    }

    /// <summary>The next backup was due a period after the last one's due instant on the wall clock: stepped back three
    /// hours, it came four hours later, the newest backup's age past its alert (twice the period).</summary>
    [Fact]
    public async Task A_wall_clock_stepped_back_does_not_put_the_next_backup_off()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new SteppedClock(time);
        var backups = Backups(clock, every: Hour);
        var schedule = await StartAsync(backups, clock, every: Hour);
        await DueAt(schedule, Start + Hour);

        clock.Step = -3 * Hour;
        time.Advance(Hour);
        await Eventually.Until(() => Task.FromResult(schedule.NextAt), next => next != Start + Hour, TimeSpan.FromSeconds(20),
            "the schedule waiting for the next period");
        Assert.Single(await backups.ListAsync(default));

        time.Advance(Hour);
        await Eventually.Until(async () => (await backups.ListAsync(default)).Count, n => n == 2, TimeSpan.FromSeconds(10),
            "a backup an hour after the last one");
    }

    [Fact]
    public async Task A_period_that_finds_a_backup_being_taken_skips_it_says_so_and_the_next_period_takes_one()
    {
        var clock = new FakeTimeProvider(Start);
        var backups = Backups(clock, every: Hour);
        var schedule = await StartAsync(backups, clock, every: Hour);
        await DueAt(schedule, Start + Hour);

        Task<BackupManifest> manual;
        await using (var write = await _db.BeginWriteAsync())
        {
            manual = backups.TakeAsync(default); // an operator's, waiting for this write
            await Eventually.True(() => Task.FromResult(Directory.Exists(backups.Folder) && Directory.GetDirectories(backups.Folder).Length == 1),
                TimeSpan.FromSeconds(10), "the operator's backup starts");
            clock.Advance(Hour);
            await DueAt(schedule, Start + 2 * Hour);
            Assert.Contains(_logs.At<BackupSchedule>(LogLevel.Warning), l => l.StartsWith("Scheduled backup skipped: another backup of this process"));
        }
        var taken = await manual;
        Assert.Equal(Start + Hour, taken.TakenAt);

        clock.Advance(Hour);
        await DueAt(schedule, Start + 3 * Hour);
        Assert.Equal([Start + 2 * Hour, Start + Hour], (await backups.ListAsync(default)).Select(m => m.TakenAt));
    }

    [Fact]
    public async Task A_failed_scheduled_backup_is_logged_with_its_reason_and_the_next_period_succeeds()
    {
        var clock = new FakeTimeProvider(Start);
        var backups = Backups(clock, every: Hour);
        await File.WriteAllTextAsync(backups.Folder, "not a folder");
        var schedule = await StartAsync(backups, clock, every: Hour);
        await DueAt(schedule, Start + Hour);

        clock.Advance(Hour);
        await DueAt(schedule, Start + 2 * Hour);
        Assert.Contains(_logs.At<BackupSchedule>(LogLevel.Error), l => l.StartsWith("Scheduled backup failed: The backup folder (backups in the service's data folder) cannot be written"));
        Assert.False(schedule.ExecuteTask!.IsCompleted);

        File.Delete(backups.Folder);
        clock.Advance(Hour);
        await DueAt(schedule, Start + 3 * Hour);
        Assert.Equal([Start + 2 * Hour], (await backups.ListAsync(default)).Select(m => m.TakenAt));
    }

    [Fact]
    public async Task Retention_keeps_exactly_the_newest_complete_backups_and_never_a_partial_one_or_a_folder_not_ours()
    {
        var clock = new FakeTimeProvider(Start);
        var backups = Backups(clock, every: Hour, keep: 3);
        var schedule = await StartAsync(backups, clock, every: Hour);
        await DueAt(schedule, Start + Hour);
        clock.Advance(Hour);
        await DueAt(schedule, Start + 2 * Hour);
        var first = Path.Combine(backups.Folder, Assert.Single(await backups.ListAsync(default)).Id);
        // Folders that look like backups, older than every one of ours: only a folder whose name is a backup id and whose
        // manifest names it is ours.
        string[] foreign =
        [
            Copy(first, "before-the-upgrade"), // a copy an operator kept under a name of their own
            Copy(first, "20250101T000000Z-0000000b"), // a backup's name, another backup's manifest
            Copy(first, ".partial-0000000c"), // a partial one, complete in all but its name
        ];
        Directory.CreateDirectory(Path.Combine(backups.Folder, "20250101T000000Z-0000000a")); // no manifest

        for (var period = 2; period <= 5; period++)
        {
            clock.Advance(Hour);
            await DueAt(schedule, Start + (period + 1) * Hour);
        }

        Assert.Equal([Start + 5 * Hour, Start + 4 * Hour, Start + 3 * Hour], (await backups.ListAsync(default)).Select(m => m.TakenAt));
        Assert.False(Directory.Exists(first));
        Assert.All(foreign.Append(Path.Combine(backups.Folder, "20250101T000000Z-0000000a")), f => Assert.True(Directory.Exists(f), f));
        Assert.Equal(2, _logs.Of<SqliteBackups>().Count(l => l.Contains("deleted: 3 newer kept (Storage:Backups:Keep)")));
    }

    [Fact]
    public async Task Retention_never_deletes_the_backup_just_taken_even_when_the_clock_went_back()
    {
        var clock = new PinnedClock { Pinned = Start + Hour };
        var backups = new SqliteBackups([new BackupSource(_db)], Storage(every: null, keep: 1), clock, _loggers.CreateLogger<SqliteBackups>());
        var later = await backups.TakeAsync(default);
        clock.Pinned = Start; // the host's clock set back an hour

        var justTaken = await backups.TakeAsync(default);

        Assert.Equal([justTaken.Id], (await backups.ListAsync(default)).Select(m => m.Id));
        Assert.False(Directory.Exists(Path.Combine(backups.Folder, later.Id)));
    }

    [Fact]
    public async Task At_start_partial_folders_left_by_a_crash_are_deleted_but_not_one_another_process_is_writing()
    {
        var clock = new FakeTimeProvider(Start);
        var backups = Backups(clock, every: null);
        var crashed = Path.Combine(backups.Folder, ".partial-0badc0de");
        var cutShort = Path.Combine(backups.Folder, ".deleting-20261205T030000Z-0000000d");
        foreach (var folder in new[] { crashed, cutShort })
        {
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "a.db"), "half a copy");
        }
        // Another process sharing the data folder (a replica), its backup waiting for a write.
        var other = Backups(clock, every: null);
        Task<BackupManifest> inFlight;
        await using (var write = await _db.BeginWriteAsync())
        {
            inFlight = other.TakeAsync(default);
            await Eventually.True(() => Task.FromResult(Directory.GetDirectories(backups.Folder).Length == 3), TimeSpan.FromSeconds(10), "the other backup starts");
            var writing = Directory.GetDirectories(backups.Folder).Single(f => f != crashed && f != cutShort);

            await StartAsync(backups, clock, every: null);
            await Eventually.True(() => Task.FromResult(!Directory.Exists(crashed) && !Directory.Exists(cutShort)), TimeSpan.FromSeconds(10), "the leftovers deleted");

            Assert.True(Directory.Exists(writing), "the partial folder of a backup being written was deleted");
            Assert.Contains(_logs.At<SqliteBackups>(LogLevel.Warning), l => l.StartsWith("Deleted 2 partial backup folders"));
        }
        await inFlight;
        Assert.Single(await backups.ListAsync(default));
        Assert.Empty(Directory.GetFiles(backups.Folder)); // no claim left behind
    }

    [Fact]
    public async Task The_age_of_the_newest_backup_is_a_gauge_that_grows_until_the_next_backup()
    {
        // Later than any other test's backup: the gauge reports the newest of the process.
        var clock = new FakeTimeProvider(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var backups = Backups(clock, every: null);
        await backups.TakeAsync(default);
        clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(90, ReadGauge("tradenet.backups.newest_age"));
    }

    private IOptions<StorageOptions> Storage(TimeSpan? every, int keep) =>
        Options.Create(new StorageOptions { DataDir = _settings.DataDir, Backups = new BackupSchedulingOptions { Every = every, Keep = keep } });

    private SqliteBackups Backups(TimeProvider clock, TimeSpan? every, int keep = 0) =>
        new([new BackupSource(_db)], Storage(every, keep), clock, _loggers.CreateLogger<SqliteBackups>());

    private async Task<BackupSchedule> StartAsync(SqliteBackups backups, TimeProvider clock, TimeSpan? every)
    {
        var schedule = new BackupSchedule(backups, Storage(every, 0), clock, _loggers.CreateLogger<BackupSchedule>());
        await schedule.StartAsync(default);
        _started.Add(schedule);
        return schedule;
    }

    /// <summary>Until the schedule waits for <paramref name="due"/>: the backup of the period before has been attempted.</summary>
    private static Task DueAt(BackupSchedule schedule, DateTimeOffset due) =>
        Eventually.Until(() => Task.FromResult(schedule.NextAt), next => next == due, TimeSpan.FromSeconds(20), $"the schedule waiting for {due:O}");

    private static string Copy(string backup, string name)
    {
        var copy = Path.Combine(Path.GetDirectoryName(backup)!, name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(backup)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private static double? ReadGauge(string name)
    {
        double? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TradeNetTelemetry.Name && instrument.Name == name) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, v, _, _) => value = v);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    public void Dispose()
    {
        foreach (var schedule in _started) schedule.StopAsync(default).GetAwaiter().GetResult();
        _loggers.Dispose();
        _settings.Dispose();
    }
}
