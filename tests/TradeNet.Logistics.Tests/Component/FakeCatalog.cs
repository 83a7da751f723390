using System.Collections.Concurrent;
using Grpc.Core;
using TradeNet.Contracts.Grpc;
using TradeNet.Logistics.Grpc;

namespace TradeNet.Logistics.Tests.Component;

/// <summary>Catalog at the outer edge of a component test: knows the towns a test adds (by name when given), fails for the towns a test
/// says it is down for, and records every question (the deadline with it).</summary>
public sealed class FakeCatalog : LogisticsCatalogClient
{
    private readonly ConcurrentDictionary<string, string> _towns = new();
    private readonly ConcurrentDictionary<string, StatusCode> _outages = new();
    private readonly ConcurrentDictionary<string, Hold> _holds = new();

    public ConcurrentQueue<(GetTownsRequest Request, DateTime? Deadline)> TownQuestions { get; } = new();

    public void Knows(string townId, string name = "") => _towns[townId] = name;

    /// <summary>Any question naming this town fails as catalog would when down or too slow.</summary>
    public void DownFor(string townId, StatusCode code = StatusCode.Unavailable) => _outages[townId] = code;

    /// <summary>Questions naming this town are answered only once this many have been asked (or after 10 s): the
    /// requests that asked have all got that far, and race on what comes after.</summary>
    public void HoldUntilAsked(string townId, int questions) => _holds[townId] = new Hold(questions);

    public IEnumerable<string> AskedAbout => TownQuestions.SelectMany(q => q.Request.TownIds);

    public override AsyncUnaryCall<GetTownsReply> GetTownsAsync(GetTownsRequest request, CallOptions options)
    {
        TownQuestions.Enqueue((request, options.Deadline));
        Task<GetTownsReply> reply;
        if (request.TownIds.FirstOrDefault(_outages.ContainsKey) is { } down)
            reply = Task.FromException<GetTownsReply>(new RpcException(new Status(_outages[down], "catalog is down")));
        else
            reply = Task.FromResult(new GetTownsReply { Towns = { request.TownIds.Where(_towns.ContainsKey).Select(id => new TownInfo { Id = id, Name = _towns[id] }) } });
        if (request.TownIds.Select(id => _holds.GetValueOrDefault(id)).FirstOrDefault(h => h is not null) is { } hold)
            reply = hold.AnswerWhenAllAskedAsync(reply);
        return new AsyncUnaryCall<GetTownsReply>(reply, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    private sealed class Hold(int questions)
    {
        private readonly TaskCompletionSource _allAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _left = questions;

        public async Task<GetTownsReply> AnswerWhenAllAskedAsync(Task<GetTownsReply> reply)
        {
            if (Interlocked.Decrement(ref _left) <= 0) _allAsked.TrySetResult();
            await Task.WhenAny(_allAsked.Task, Task.Delay(TimeSpan.FromSeconds(10)));
            return await reply;
        }
    }
}
