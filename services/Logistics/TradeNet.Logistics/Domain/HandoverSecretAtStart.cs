using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TradeNet.Logistics.Domain;

/// <summary>Makes the handover codes' secret when the service starts, before it answers anything. Made on first use
/// instead, it came into the store only when a code was first read: a backup taken before that held shipments but not
/// the secret, and the service restored from it made a new one, so every code a receiving town had read since changed
/// (seen Dec 2026 walking docs/operations.md's restore; <c>HandoverCodeBackupTests</c>).</summary>
public sealed class HandoverSecretAtStart(HandoverCodes codes, ILogger<HandoverSecretAtStart> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try { await codes.EnsureSecretAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that cannot answer now (MongoDB not reachable yet) fails its requests anyway; the first code read
            // makes the secret then, as before.
            logger.LogWarning(e, "The handover codes' secret could not be made at start; the first code read makes it");
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
