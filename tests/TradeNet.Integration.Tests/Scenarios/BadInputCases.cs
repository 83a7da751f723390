using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TradeNet.Integration.Tests.Scenarios;

/// <summary>One malformed request. <paramref name="MustRefuse"/>: no route may take it (a wrong JSON type, a required
/// field missing, …); otherwise the hunt only asks for no 5xx and a proper problem if refused (a bidi character in a
/// name, a negative number whose meaning the hunt cannot know). <paramref name="Names"/>: a word a 400 must contain
/// (the field or parameter at fault). <paramref name="MayWrite"/>: a success could legitimately have written (it is
/// not refused and hits a live target), so the stored state is compared only when it was refused.</summary>
public sealed record BadRequest(string Kind, string Path, byte[]? Body, string? ContentType, bool MustRefuse, string? Names,
    bool MayWrite, (string Name, string Value)[] Headers)
{
    public string Describe(string method)
    {
        var body = Body is null ? "" : Encoding.UTF8.GetString(Body);
        return $"{Kind}: {method} {Shorten(Path, 160)}{(ContentType is null ? "" : $" [{ContentType}]")}" +
            $"{string.Concat(Headers.Select(h => $" [{h.Name}: {Shorten(h.Value, 40)}]"))}{(Body is null ? "" : $" body {Shorten(body, 300)}")}";
    }

    public static string Shorten(string text, int max)
    {
        var printable = new string(text.Select(c => char.IsControl(c) || c is '\u202E' or '\u202D' ? '¤' : c).ToArray());
        return printable.Length <= max ? printable : $"{printable[..(max / 2)]}…({printable.Length} chars)…{printable[^(max / 4)..]}";
    }
}

/// <summary>Builds the malformed requests for a route from its document: every field, parameter and body fault the
/// hunt knows, then <paramref name="extra"/> random combinations drawn from the seed.</summary>
public sealed class BadInputCases(ApiRoute route, BadInputWorld world, Random random, int extra)
{
    // Inside the text: a control character at either end that is also white space (\n, \u0085) is trimmed away, rightly.
    private static readonly string[] Controls = ["a\u0000b", "bell\u0007x", "\u001b[31mred", "line\nbreak", "tab\there", "del\u007fx", "nel\u0085x"];
    private static readonly string[] Unicode = ["Saint-Étienne 🧀", "中文名", "\u202Eevil\u202C", "e\u0301\u0301\u0301", "\uFEFFbom", "𝓯𝓪𝓷𝓬𝔂", "\u200B"];
    private static readonly string[] BadIds =
        ["not-a-guid", "0", "-1", "null", "%20", "..%2f..%2fetc%2fpasswd", "%2e%2e", "ñandú-🧀", "{00000000-0000-0000-0000-000000000000}",
         "99999999999999999999", "1e3", "0x1F", "%E2%80%AE", "a%2Fb"];

    private readonly List<BadRequest> _cases = [];

    public IReadOnlyList<BadRequest> Build()
    {
        foreach (var parameter in route.In("path")) PathCases(parameter);
        foreach (var parameter in route.In("query")) QueryCases(parameter);
        foreach (var parameter in route.In("header")) HeaderCases(parameter);
        if (route.Body is { } schema) BodyCases(schema);
        else NoBodyCases();
        for (var i = 0; i < extra; i++) RandomCase();
        return _cases;
    }

    /// <summary>The route's path with live targets, and <paramref name="overrides"/> for some parameters.</summary>
    public string PathWith(params (string Name, string Value)[] overrides)
    {
        var path = route.Path;
        foreach (var parameter in route.In("path"))
        {
            var value = overrides.FirstOrDefault(o => o.Name == parameter.Name).Value ?? LiveValue(parameter.Name);
            path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }
        return path;
    }

    private string LiveValue(string parameter) => parameter switch
    {
        "tradeId" => world.Live["agreed"],
        "index" or "sequence" => world.Live[parameter],
        _ => world.Live.GetValueOrDefault(route.EntityOf(parameter)) ?? Guid.Empty.ToString(),
    };

    /// <summary>Where a request that may pass goes: a route that writes to a thing named in its path gets an unknown
    /// one, so a success cannot end a target the rest of the hunt needs; a PUT or a route without an id the live one.</summary>
    private string SafePath() =>
        route.Writes && route.Method != "PUT" && route.In("path").FirstOrDefault() is { } id
            ? PathWith((id.Name, Guid.NewGuid().ToString()))
            : PathWith();

    private bool LiveWrite(string path) => route.Writes && path == PathWith();

    private void Add(string kind, string path, byte[]? body, string? contentType, bool mustRefuse, string? names, params (string, string)[] headers) =>
        _cases.Add(new BadRequest(kind, path, body, contentType, mustRefuse, names, !mustRefuse && LiveWrite(path), headers));

    private void AddJson(string kind, JsonNode? body, bool mustRefuse, string? names)
    {
        var path = mustRefuse ? PathWith() : SafePath();
        Add(kind, path, Encoding.UTF8.GetBytes(body?.ToJsonString() ?? "null"), "application/json", mustRefuse, names);
    }

    private void AddRaw(string kind, string text, bool mustRefuse, string? contentType = "application/json") =>
        Add(kind, mustRefuse ? PathWith() : SafePath(), Encoding.UTF8.GetBytes(text), contentType, mustRefuse, null);

    private byte[]? TemplateBytes() => route.Body is null ? null : Encoding.UTF8.GetBytes(Template().ToJsonString());

    private void PathCases(ApiParameter parameter)
    {
        var body = TemplateBytes();
        var type = route.Body is null ? null : "application/json";
        var number = parameter.Name is "index" or "sequence";
        foreach (var id in BadIds)
        {
            // 0 is a leg's or a stop's number. A dot segment is resolved before routing (…/legs/%2e%2e/accept is
            // …/accept): on a route that writes it would reach another route with a live target.
            if (number && id == "0" || id == "%2e%2e" && route.Writes) continue;
            Add($"path {parameter.Name} malformed", PathWith((parameter.Name, id)), body, type, true, id == "%2e%2e" ? null : parameter.Name);
        }
        Add($"path {parameter.Name} 2k chars", PathWith((parameter.Name, new string('7', 2000))), body, type, true, parameter.Name);
        Add($"path {parameter.Name} 10k chars", PathWith((parameter.Name, new string('a', 10_000))), body, type, true, parameter.Name);
        if (number)
        {
            foreach (var n in new[] { "99", "2147483648", "1.5", "1e0", "٣" })
                Add($"path {parameter.Name} out of range", PathWith((parameter.Name, Uri.EscapeDataString(n))), body, type, true, null);
            return;
        }
        // Valid-looking references to the wrong thing: unknown, another town's, one that ended.
        var entity = route.EntityOf(parameter.Name);
        var unknown = entity == "towns" ? "town-no-such-town" : new Guid(RandomBytes(16)).ToString();
        Add($"path {parameter.Name} unknown", PathWith((parameter.Name, unknown)), body, type, true, null);
        // An operator may act on any town's things: another town's is a wrong reference only for a town.
        if (world.Others.TryGetValue(entity, out var other) && (Caller == "town" || !route.Writes))
            Add($"path {parameter.Name} another town's", PathWith((parameter.Name, other)), body, type, route.Writes, null);
        if (world.Ended.TryGetValue(entity, out var ended))
            Add($"path {parameter.Name} ended", PathWith((parameter.Name, ended)), body, type, false, null);
    }

    /// <summary>Who sends the route's requests ("operator" or "town"); set by the hunt before <see cref="Build"/>.</summary>
    public string Caller { get; init; } = "operator";

    private void QueryCases(ApiParameter parameter)
    {
        var name = parameter.Name;
        var values = new List<(string Value, bool Refuse)>
        {
            ("-1", name == "limit"), ("0", name == "limit"), ("99999999999999999999", name == "limit"), ("1e308", name == "limit"),
            ("NaN", name is "limit" or "overdue"), ("abc", name is "limit" or "status" or "kind" or "overdue"), ("", false),
            (new string('q', 2000), name is "limit" or "status" or "kind" or "overdue"), ("..%2f..%2f", name is "limit" or "status"),
            (Uri.EscapeDataString(Pick(Unicode)), name is "limit" or "status" or "overdue"), ("2025-13-45T25:61:00Z", name is "limit" or "status"),
            (Uri.EscapeDataString(Pick(Controls)), name is "limit" or "status" or "overdue"),
        };
        // The route's other required parameters as a caller sends them, so the fault at hand is the only one.
        var others = string.Concat(route.In("query").Where(q => q.Required && q.Name != name).Select(q => $"&{q.Name}={world.QueryValue(q.Name)}"));
        foreach (var (value, refuse) in values)
            Add($"query {name}={BadRequest.Shorten(value, 20)}", $"{SafePath()}?{name}={value}{others}", TemplateBytes(), route.Body is null ? null : "application/json",
                refuse, refuse ? name : null);
        Add($"query {name} 10k chars", $"{SafePath()}?{name}={new string('9', 10_000)}{others}", null, null, true, name);
        Add($"query {name} twice", $"{SafePath()}?{name}=1&{name}=2{others}", TemplateBytes(), route.Body is null ? null : "application/json", true, name);
        if (CursorBeside(name) is { } after) CursorCases(name, values.Select(v => v.Value), after + others);
    }

    // The Links' cursors (docs/operations.md, "Walking a list"): alone each is refused whatever its value ("goes with
    // after"), so the values above never reach its own checks. Beside the route's live id as `after` they do.
    private static readonly string[] NumberCursors = ["afterCreated", "asOf"];
    private static readonly string[] TextCursors = ["afterName", "afterHome"];

    private string? CursorBeside(string name) =>
        (NumberCursors.Contains(name) || TextCursors.Contains(name)) && route.In("query").Any(q => q.Name == "after")
            && world.Live.TryGetValue(route.Path.Split('/')[^1], out var live) ? $"&after={Uri.EscapeDataString(live)}" : null;

    private void CursorCases(string name, IEnumerable<string> values, string others)
    {
        foreach (var value in values)
        {
            // A number cursor is a whole number (0 included; empty is no cursor); a text one is a name or id as a page
            // showed it: at most 200 characters, no control characters.
            var refuse = NumberCursors.Contains(name)
                ? value is not ("0" or "")
                : value.Length > 200 || Uri.UnescapeDataString(value).Any(char.IsControl);
            Add($"query {name}={BadRequest.Shorten(value, 20)} beside after", $"{SafePath()}?{name}={value}{others}", TemplateBytes(),
                route.Body is null ? null : "application/json", refuse, refuse ? name : null);
        }
    }

    private void HeaderCases(ApiParameter parameter)
    {
        foreach (var (kind, value) in new[] { ("10k chars", new string('k', 10_000)), ("two values", "a,b"), ("non-ASCII", "clé-🧀"), ("spaces", "a b") })
            Add($"header {parameter.Name} {kind}", SafePath(), TemplateBytes(), "application/json", true, parameter.Name, (parameter.Name, value));
    }

    private void NoBodyCases()
    {
        // A body where none is expected is ignored or refused, never a 500.
        Add("body where none is expected", SafePath(), "{\"quantity\":1e400,\"x\":["u8.ToArray(), "application/json", false, null);
        Add("text body where none is expected", SafePath(), "garbage\u0000"u8.ToArray(), "text/plain", false, null);
        Add("huge body where none is expected", SafePath(), new byte[300_000], "application/octet-stream", false, null);
    }

    private JsonObject Template()
    {
        var schema = route.Body!.Value;
        return route.BodySchemaName is { } name && world.Template(name) is { } known ? known : (JsonObject)Sample(schema, 0)!;
    }

    /// <summary>A value of the schema's type, for a request schema the world has no template for.</summary>
    private JsonNode? Sample(JsonElement schema, int depth)
    {
        schema = route.Resolve(schema);
        var types = Types(schema);
        if (types.Contains("object") || schema.TryGetProperty("properties", out _))
        {
            var obj = new JsonObject();
            if (depth < 4 && schema.TryGetProperty("properties", out var properties))
                foreach (var p in properties.EnumerateObject()) obj[p.Name] = Sample(p.Value, depth + 1);
            return obj;
        }
        if (schema.TryGetProperty("enum", out var values)) return JsonValue.Create(values[0].ToString());
        return types switch
        {
            _ when types.Contains("string") => schema.TryGetProperty("format", out var f) && f.GetString() == "date-time"
                ? DateTimeOffset.UtcNow.AddDays(1).ToString("O") : "x",
            _ when types.Contains("integer") => 1,
            _ when types.Contains("number") => 1.5,
            _ when types.Contains("boolean") => false,
            _ when types.Contains("array") => new JsonArray(),
            _ => null,
        };
    }

    private static string[] Types(JsonElement schema) => TradeNet.Testing.ApiDocument.Types(schema).Where(t => t != "null").ToArray();

    private void BodyCases(JsonElement schema)
    {
        var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()!).ToHashSet() : [];
        var properties = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().ToList() : [];
        foreach (var property in properties) FieldCases(property.Name, route.Resolve(property.Value), required.Contains(property.Name));

        var template = Template();
        var text = template.ToJsonString();
        foreach (var (kind, json) in new[] { ("array for the object", "[]"), ("string for the object", "\"text\""), ("number for the object", "42"),
                     ("array of the object", $"[{text}]") })
            AddRaw($"body {kind}", json, true);
        AddRaw("body null", "null", route.BodyRequired);
        Add("body empty", route.BodyRequired ? PathWith() : SafePath(), [], "application/json", route.BodyRequired, null);
        Add("body none at all", route.BodyRequired ? PathWith() : SafePath(), null, null, route.BodyRequired, null);
        AddRaw("body truncated", text[..Math.Max(1, random.Next(text.Length))], true);
        AddRaw("body trailing garbage", text + " x", true);
        AddRaw("body with a comment", "/* hi */" + text, true);
        AddRaw("body nested 5000 deep", new string('[', 5000) + new string(']', 5000), true);
        AddRaw("body of an object nested 200 deep", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200), true);
        var unknown = (JsonObject)template.DeepClone();
        unknown["badInputField"] = 1;
        AddJson("body unknown field", unknown, true, "badInputField");
        if (properties.Count > 0)
        {
            var first = properties[0].Name;
            AddRaw($"body {first} given twice", $"{{\"{first}\":{template[first]?.ToJsonString() ?? "null"},{text[1..]}", true);
        }
        Add("body invalid UTF-8", PathWith(), [.. "{\"x\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8], "application/json", true, null);
        AddRaw("body as text/plain", text, true, "text/plain");
        AddRaw("body as XML", "<request/>", true, "application/xml");
        AddRaw("body as a form", "name=x&reason=y", true, "application/x-www-form-urlencoded");
        Add("body without a content type", PathWith(), Encoding.UTF8.GetBytes(text), null, true, null);
        AddRaw("body over 256 KB", $"{{\"pad\":\"{new string(' ', 300_000)}\"}}", true);
        AddRaw("body with a BOM", "\uFEFF" + text, false);
        AddRaw("body in UTF-16", text, true, "application/json; charset=utf-16");
    }

    private void FieldCases(string field, JsonElement schema, bool required)
    {
        var types = Types(schema);
        // A field the route documents as not read (a view's read-only field sent back) may hold any value of its type.
        var read = !world.NotRead(route.BodySchemaName, field);
        JsonObject With(JsonNode? value)
        {
            var body = (JsonObject)Template().DeepClone();
            body[field] = value;
            return body;
        }
        string Raw(string value)
        {
            var body = (JsonObject)Template().DeepClone();
            body[field] = "\u0001MARK\u0001";
            return body.ToJsonString().Replace("\"\\u0001MARK\\u0001\"", value, StringComparison.Ordinal);
        }

        foreach (var (what, value) in WrongTypes(types))
            AddJson($"{field} {what}", With(value), true, field);
        if (required)
        {
            var without = (JsonObject)Template().DeepClone();
            without.Remove(field);
            AddJson($"{field} missing", without, true, field);
        }
        AddJson($"{field} null", With(null), required, required ? field : null);
        AddRaw($"{field} nested 3000 deep", Raw(new string('[', 3000) + new string(']', 3000)), true);
        if (types.Contains("string"))
        {
            var date = schema.TryGetProperty("format", out var f) && f.GetString() == "date-time";
            AddJson($"{field} empty", With(""), required, required ? field : null);
            AddJson($"{field} whitespace", With("   "), required, required ? field : null);
            AddJson($"{field} 100k chars", With(new string('x', 100_000)), read, read ? field : null);
            AddJson($"{field} control characters", With(Pick(Controls)), read, read ? field : null);
            AddJson($"{field} unicode", With(Pick(Unicode)), false, null);
            if (date)
                foreach (var bad in new[] { "2025-13-45T25:61:00Z", "yesterday", "0000-00-00", "1.5" })
                    AddJson($"{field} bad date {bad}", With(bad), true, field);
        }
        if (types.Contains("number") || types.Contains("integer"))
        {
            foreach (var raw in new[] { "NaN", "Infinity", "-Infinity", "1e400", "-1e400", "0x10", "01", "+1", "1.", ".5" })
                AddRaw($"{field} {raw}", Raw(raw), true);
            AddJson($"{field} \"NaN\" as a string", With("NaN"), true, field);
            foreach (var raw in new[] { "1e308", "-1e308", "-0", "-1", "0", "123456789012345678901234567890", "5e-324", "0.1e-400" })
                AddRaw($"{field} {raw}", Raw(raw), false);
        }
        if (types.Contains("array"))
        {
            AddJson($"{field} items of the wrong type", With(new JsonArray(1, true)), true, field);
            AddJson($"{field} a null item", With(new JsonArray((JsonNode?)null)), true, field);
            AddJson($"{field} items of 100k chars", With(new JsonArray(new string('y', 100_000))), true, field);
            AddJson($"{field} 10k items", With(new JsonArray(Enumerable.Range(0, 10_000).Select(i => (JsonNode?)JsonValue.Create($"i{i}")).ToArray())), false, null);
            AddJson($"{field} blank items", With(new JsonArray("", "  ", Pick(Controls))), false, null);
        }
    }

    private static IEnumerable<(string, JsonNode?)> WrongTypes(string[] types)
    {
        if (!types.Contains("string")) yield return ("as a string", "twelve");
        if (!types.Contains("number") && !types.Contains("integer")) yield return ("as a number", 12345);
        if (!types.Contains("boolean")) yield return ("as a boolean", true);
        if (!types.Contains("array")) yield return ("as an array", new JsonArray("x"));
        if (!types.Contains("object")) yield return ("as an object", new JsonObject { ["x"] = 1 });
    }

    /// <summary>A seeded mix: several field faults in one body, a template with a character dropped or changed, or
    /// junk ids with junk queries.</summary>
    private void RandomCase()
    {
        switch (random.Next(3))
        {
            case 0 when route.Body is not null:
            {
                var text = Template().ToJsonString();
                var at = random.Next(text.Length);
                var changed = random.Next(2) == 0 ? text.Remove(at, 1) : text.Insert(at, Pick(["\"", "{", "]", ",", ":", "\\", "\u0000", "é", "-", "9e9999"]));
                AddRaw($"random: template changed at {at}", changed, false);
                break;
            }
            case 1 when route.Body is not null && route.Body.Value.TryGetProperty("properties", out var properties):
            {
                var body = Template();
                var names = properties.EnumerateObject().Select(p => p.Name).OrderBy(_ => random.Next()).Take(random.Next(2, 4)).ToList();
                foreach (var name in names) body[name] = Pick<JsonNode?>([null, "", new string('z', random.Next(1, 5000)), -1, 1e308, new JsonArray(), new JsonObject(), Pick(Controls), Pick(Unicode), false]);
                AddJson($"random: {string.Join(", ", names)} replaced", body, false, null);
                break;
            }
            default:
            {
                var path = route.In("path").Aggregate(SafePath(), (p, parameter) => random.Next(2) == 0 ? p : PathWith((parameter.Name, Pick(BadIds.Where(id => id != "%2e%2e" && id != "0").ToList()) + Pick(["", "%2F", ";x", "%E2%80%AE", "~"]))));
                var query = string.Join("&", route.In("query").Select(q => $"{q.Name}={Uri.EscapeDataString(Pick(["-5", "1e9", "", "true", "x\u0000y", Pick(Unicode)]))}"));
                Add("random: ids and query", query.Length > 0 ? $"{path}?{query}" : path, TemplateBytes(), route.Body is null ? null : "application/json", false, null);
                break;
            }
        }
    }

    private T Pick<T>(IReadOnlyList<T> from) => from[random.Next(from.Count)];

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
