namespace TradeNet.Logistics.Planner.Core;

/// <summary>
/// When a route's services can start under ride and route-duration limits. Without them, starting every visit as early
/// as possible decides feasibility in one pass (<see cref="RouteEvaluator"/>); with them a later start may be needed —
/// loading goods later rather than keeping them on board until a delivery window opens, leaving home later so that the
/// shift still ends in time. Every rule is a bound on a start or on the difference of two starts (a simple temporal
/// network), so if any schedule exists, the one with every start as early as the rules allow does: a forward pass raises
/// each start to its predecessor's end plus the drive, then each limit raises a pickup (or the departure) to within reach
/// of its delivery (or of the return), until nothing moves. A longest chain of these bounds uses each limit at most once,
/// so a start still moving after one pass per limit means limits that no amount of waiting can meet.
/// </summary>
/// <remarks>Holds scratch arrays: one instance per search thread.</remarks>
public sealed class RouteTiming(RoutingProblem p)
{
    private readonly int[] position = new int[p.NodeCount];
    private long[] begin = new long[16];

    /// <summary>After a route that fits: when the vehicle leaves its start depot at the earliest.</summary>
    public long Leave { get; private set; }

    /// <summary>After a route that fits: when it reaches its end depot at the earliest.</summary>
    public long Back { get; private set; }

    /// <summary>After a route that fits: the earliest service start of each visit.</summary>
    public ReadOnlySpan<long> Begin(int count) => begin.AsSpan(0, count);

    /// <summary>Whether the route keeps every window, ride limit, availability and route-duration limit (not capacity).</summary>
    public bool Fits(int vehicle, ReadOnlySpan<int> route)
    {
        var v = p.Vehicles[vehicle];
        int n = route.Length;
        if (begin.Length < n) begin = new long[Math.Max(n, 2 * begin.Length)];
        long leave = Math.Max(v.Earliest, p.WindowStart[v.StartNode]);
        long latestLeave = Math.Min(v.Latest, p.WindowEnd[v.StartNode]);
        long latestBack = Math.Min(v.Latest, p.WindowEnd[v.EndNode]);
        int limits = v.HasMaxDuration ? 1 : 0;
        for (int i = 0; i < n; i++)
        {
            int node = route[i];
            begin[i] = p.WindowStart[node];
            position[node] = i;
            if (p.IsPickup[node] && p.MaxRide[node] < long.MaxValue) limits++;
        }
        for (int pass = 0; ; pass++)
        {
            if (leave > latestLeave) return false;
            long t = leave;
            int prev = v.StartNode;
            for (int i = 0; i < n; i++)
            {
                int node = route[i];
                long arrive = t + p.ServiceTime[prev] + p.TravelTime[prev][node];
                if (arrive > begin[i]) begin[i] = arrive;
                if (begin[i] > p.WindowEnd[node]) return false;
                t = begin[i];
                prev = node;
            }
            long back = n == 0 ? leave : t + p.ServiceTime[prev] + p.TravelTime[prev][v.EndNode];
            if (back > latestBack) return false;

            bool raised = false;
            for (int j = 0; j < n; j++)
            {
                int drop = route[j], pick = p.Partner[drop];
                if (pick < 0 || p.IsPickup[drop] || p.MaxRide[pick] == long.MaxValue) continue;
                int i = position[pick];
                if (i >= j || route[i] != pick) continue; // its pickup is not before it on this route: not a ride to time
                long latestEnd = begin[j] - p.MaxRide[pick]; // loading may end no earlier than this
                if (begin[i] + p.ServiceTime[pick] < latestEnd)
                {
                    begin[i] = latestEnd - p.ServiceTime[pick];
                    raised = true;
                }
            }
            if (v.HasMaxDuration && back - v.MaxDuration > leave)
            {
                leave = back - v.MaxDuration;
                raised = true;
            }
            if (!raised)
            {
                Leave = leave;
                Back = back;
                return true;
            }
            if (pass >= limits) return false;
        }
    }
}
