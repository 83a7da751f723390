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
                vehicles = Parse.Integer(t[0], where);
                capacity = Parse.Integer(t[1], where);
            }
            else if (section == "customer" && t.Length == 7)
            {
                customers.Add(new SolomonCustomer(Parse.Integer(t[0], where), Parse.Number(t[1], where), Parse.Number(t[2], where),
                    Parse.Integer(t[3], where), Parse.Integer(t[4], where), Parse.Integer(t[5], where), Parse.Integer(t[6], where)));
            }
            else throw new BenchmarkFormatException($"{where}: unexpected line '{line}'");
        }
        if (vehicles <= 0 || capacity <= 0 || customers.Count < 2) throw new BenchmarkFormatException($"{source}: VEHICLE and CUSTOMER sections are required");
        if (customers.Select((c, i) => c.Id != i).Any(x => x)) throw new BenchmarkFormatException($"{source}: customers must be numbered 0..n in order");
        return new SolomonInstance(name, vehicles, capacity, customers.ToArray());
    }
}
