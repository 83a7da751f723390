using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TradeNet.Shared.Storage.Backups;

/// <summary>
/// At start, cleans what a crash left in the backup folder; then, with <c>Storage:Backups:Every</c> set, takes a backup
/// every period through <see cref="SqliteBackups.TakeAsync"/>, as the route does: the same files, the same one-at-a-time
/// rule (a period that finds a backup being taken skips, and the log says so), the same retention after it. The first one
/// period after start, so a host restarting in a loop does not fill the disk. A failure is logged with its reason and the
/// next period tries again. On the host's <see cref="TimeProvider"/>, so a test drives it without sleeping.
/// </summary>
public sealed class BackupSchedule(SqliteBackups backups, IOptions<StorageOptions> storage, TimeProvider clock, ILogger<BackupSchedule> logger)
    : BackgroundService
{
    private long _nextAt;

    /// <summary>When the next scheduled backup is due, once the schedule waits for it (null before, or when off).</summary>
    public DateTimeOffset? NextAt => Interlocked.Read(ref _nextAt) is var t and not 0 ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // nothing of it holds the host's start
        if (!backups.HasFiles) return; // MongoDB: mongodump's job
        try
        {
            backups.CleanLeftovers();
            await backups.NoteNewestAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "The backup folder {Folder} could not be read at start; leftovers of a crash stay until the next start", backups.Folder);
        }

        var options = storage.Value.Backups;
        if (!options.Scheduled) return;
        var every = options.Every!.Value;
        logger.LogInformation("Scheduled backups every {Every}, keeping {Keep}, into {Folder}",
            every, options.Keep > 0 ? $"the newest {options.Keep}" : "every one", backups.Folder);
        // Periods are counted on the monotonic clock from the start: a wall clock stepped back (an NTP correction, a VM
        // resumed) would otherwise put the next backup off by the whole step, and the newest backup's age past its alert.
        var start = clock.GetTimestamp();
        var period = 1L;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = period * every - clock.GetElapsedTime(start);
            var delay = wait > TimeSpan.Zero ? Task.Delay(wait, clock, stoppingToken) : Task.CompletedTask;
            Interlocked.Exchange(ref _nextAt, (clock.GetUtcNow() + wait).UtcTicks);
            try
            {
                await delay;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            // The next period after this one; periods a long backup overran are skipped, not caught up.
            var elapsed = clock.GetElapsedTime(start);
            var next = period + 1;
            while (next * every <= elapsed) next++;
            if (!await TakeAsync(clock.GetUtcNow() + (next * every - elapsed), stoppingToken)) return;
            period = next;
        }
    }

    /// <summary>One scheduled backup; false when the host is stopping.</summary>
    private async Task<bool> TakeAsync(DateTimeOffset next, CancellationToken stoppingToken)
    {
        try
        {
            var manifest = await backups.TakeAsync(stoppingToken);
            logger.LogInformation("Scheduled backup {Id} taken; the next is due at {Next:O}", manifest.Id, next);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
        catch (BackupInProgressException)
        {
            // Not queued behind it: that one is as recent as this would have been.
            logger.LogWarning("Scheduled backup skipped: another backup of this process (an operator's request) is being taken; the next is due at {Next:O}", next);
        }
        catch (Exception ex)
        {
            // The reason is the one the route would have answered (no path); the exception, with the rest, goes along.
            logger.LogError(ex, "Scheduled backup failed: {Reason} The next is tried at {Next:O}", ex.Message, next);
        }
        return true;
    }
}
