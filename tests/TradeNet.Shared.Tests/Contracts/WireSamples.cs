using System.Text.Json.Nodes;

namespace TradeNet.Shared.Tests.Contracts;

/// <summary>An event as a release's outbox stored it: the type name and the payload (Contracts/Wire/README.md).</summary>
public sealed record WireSample(string Release, string File, int Line, string Type, JsonObject Payload)
{
    public string ShortType => Type[(Type.LastIndexOf('.') + 1)..];

    public override string ToString() => $"{File}:{Line} {ShortType}";

    public static IReadOnlyList<WireSample> Read(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contracts", "Wire", file);
        var release = file[..file.IndexOf('.')];
        return [.. System.IO.File.ReadAllLines(path)
            .Select((text, i) => (text, line: i + 1))
            .Where(x => x.text.Trim().Length > 0)
            .Select(x =>
            {
                var row = JsonNode.Parse(x.text)!.AsObject();
                return new WireSample(release, file, x.line, row["type"]!.GetValue<string>(), row["payload"]!.AsObject());
            })];
    }
}
