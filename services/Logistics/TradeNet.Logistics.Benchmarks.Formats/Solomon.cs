namespace TradeNet.Logistics.Benchmarks.Formats;

/// <summary>A Solomon VRPTW instance; customer 0 is the depot (its due date is the horizon).</summary>
public sealed record SolomonInstance(string Name, int Vehicles, int Capacity, SolomonCustomer[] Customers);

public sealed record SolomonCustomer(int Id, double X, double Y, int Demand, int Ready, int Due, int Service);

public static class Solomon
{
    public static SolomonInstance ReadInstance(string text, string source = "instance")
    {
        var lines = text.Split('\n').Select(l => l.Trim()).ToArray();
        string name = lines.FirstOrDefault(l => l.Length > 0) ?? throw new BenchmarkFormatException($"{source}: empty file");
        int vehicles = 0, capacity = 0;
        var customers = new List<SolomonCustomer>();
        string section = "";
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i], where = $"{source} line {i + 1}";
            if (line.Length == 0) continue;
            if (char.IsLetter(line[0]))
            {
                if (line.StartsWith("VEHICLE", StringComparison.OrdinalIgnoreCase)) section = "vehicle";
                else if (line.StartsWith("CUSTOMER", StringComparison.OrdinalIgnoreCase)) section = "customer";
                continue;
            }
            var t = Parse.Tokens(line);
            if (section == "vehicle" && t.Length == 2)
            {
                vehicles = Parse.Positive(t[0], where, "the number of vehicles");
                capacity = Parse.Positive(t[1], where, "the capacity");
            }
            else if (section == "customer" && t.Length == 7)
            {
                int id = Parse.Integer(t[0], where);
                if (id != customers.Count) throw new BenchmarkFormatException($"{where}: customer {id} out of order (customers are numbered 0..n, depot first)");
                if (customers.Count >= Parse.MaxNodes) throw new BenchmarkFormatException($"{where}: more than {Parse.MaxNodes} nodes");
                var c = new SolomonCustomer(id, Parse.Coordinate(t[1], where), Parse.Coordinate(t[2], where),
                    Parse.NonNegative(t[3], where, "demand"), Parse.NonNegative(t[4], where, "ready time"),
                    Parse.NonNegative(t[5], where, "due date"), Parse.NonNegative(t[6], where, "service time"));
                // An empty window has no schedule at all (and used to abort OR-Tools).
                if (c.Ready > c.Due) throw new BenchmarkFormatException($"{where}: customer {id} is ready at {c.Ready}, after its due date {c.Due}");
                if (id == 0 && c.Demand != 0) throw new BenchmarkFormatException($"{where}: the depot (customer 0) must have demand 0, not {c.Demand}");
                customers.Add(c);
            }
            else throw new BenchmarkFormatException($"{where}: unexpected line '{line}'");
        }
        if (vehicles == 0) throw new BenchmarkFormatException($"{source}: the VEHICLE section (number and capacity) is required");
        if (customers.Count < 2) throw new BenchmarkFormatException($"{source}: the CUSTOMER section needs the depot and at least one customer");
        return new SolomonInstance(name, vehicles, capacity, customers.ToArray());
    }
}
