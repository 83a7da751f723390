namespace TradeNet.Logistics.Planner.Tests;

/// <summary>Tiny valid instances of each family, for tests that break one field at a time.</summary>
internal static class Instances
{
    public const string CvrpText = """
        NAME : t-n3-k1
        TYPE : CVRP
        DIMENSION : 3
        EDGE_WEIGHT_TYPE : EUC_2D
        CAPACITY : 10
        NODE_COORD_SECTION
        1 0 0
        2 3 4
        3 6 8
        DEMAND_SECTION
        1 0
        2 5
        3 5
        DEPOT_SECTION
        1
        -1
        EOF
        """;

    public const string SolomonText = """
        T101

        VEHICLE
        NUMBER     CAPACITY
          2         200

        CUSTOMER
        CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME

            0      40         50          0          0       1236          0
            1      45         68         10        912        967         90
            2      45         70         30        825        870         90
        """;

    public const string LiLimText = "2\t200\t1\n0\t40\t50\t0\t0\t1236\t0\t0\t0\n1\t45\t68\t10\t0\t967\t10\t0\t2\n2\t45\t70\t-10\t0\t1100\t10\t1\t0\n";

    /// <summary>The instance with one exact piece of text replaced; fails loudly if the piece is not there.</summary>
    public static string With(string instance, string from, string to)
    {
        Assert.Contains(from, instance);
        return instance.Replace(from, to, StringComparison.Ordinal);
    }
}
