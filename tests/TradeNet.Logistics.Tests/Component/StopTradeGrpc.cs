using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using TradeNet.Contracts.Grpc;
using TradeNet.Testing;
using LogisticsGrpc = TradeNet.Contracts.Grpc.Logistics;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>StopTrade through a real gRPC client over the test server, as matching calls it.</summary>
internal static class StopTradeGrpc
{
    public static LogisticsGrpc.LogisticsClient GrpcClient(this LogisticsApp app)
    {
        var channel = GrpcChannel.ForAddress(app.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = app.Server.CreateHandler() });
        return new LogisticsGrpc.LogisticsClient(channel);
    }

    public static Task<StopTradeReply> StopTradeAsync(this LogisticsApp app, Guid tradeId, string reason = "cancelled by operator ops: stuck",
        AuthenticationHeaderValue? auth = null) =>
        app.GrpcClient().StopTradeAsync(new StopTradeRequest { TradeId = tradeId.ToString(), Reason = reason },
            new Metadata { { "authorization", (auth ?? TestSettings.ServiceAuth("matching")).ToString() } },
            DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
}
