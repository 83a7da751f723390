using System.Net;
using System.Net.Http.Json;
using TradeNet.Contracts;
using TradeNet.Shared.Storage.Backups;
using TradeNet.Testing;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>A restored backup gives every shipment it holds the handover code its receiving town was shown: the codes are
/// derived from a secret in logistics' store, so the secret must be in every backup that holds a shipment.</summary>
public class HandoverCodeBackupTests
{
    [Fact]
    public async Task A_backup_taken_before_any_code_was_read_restores_the_code_the_receiving_town_read_after_it()
    {
        await using var live = new LogisticsApp();
        var (a, b, _) = Towns.Fresh();
        var trade = Guid.NewGuid();
        await live.PublishAsync(Towns.Swap(trade, a, b));
        // From the event, not the API: an operator's or a receiving town's read shows (and so makes) the codes.
        var leg = await live.PublishedAsync<ShipmentPlanned>(e => e.TradeId == trade);

        // The backup comes first, before anyone has read a code (as in a network whose first trade is agreed just before
        // the nightly backup); the receiving town reads its code only afterwards.
        var taken = await live.SendAsync(HttpMethod.Post, "/api/logistics/backups", TestSettings.OperatorAuth());
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
        var backup = (await taken.Content.ReadFromJsonAsync<BackupManifest>())!;
        var shown = await live.HandoverCodeAsync(leg.ShipmentId);

        // Restored as docs/operations.md says: the backup's files copied into a stopped service's data folder.
        await using var restored = new LogisticsApp();
        foreach (var file in backup.Files)
            File.Copy(Path.Combine(live.DataDir, "backups", backup.Id, file.Name), Path.Combine(restored.DataDir, file.Name));

        Assert.Equal(shown, await restored.HandoverCodeAsync(leg.ShipmentId));
    }
}
