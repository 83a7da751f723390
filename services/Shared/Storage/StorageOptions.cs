namespace TradeNet.Shared.Storage;

/// <summary>Section "Storage": SQLite files under DataDir by default; MongoDB when a connection string is given.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Provider { get; set; } = "sqlite";
    public string DataDir { get; set; } = "data";
    public string? MongoConnectionString { get; set; }

    public bool UseMongo =>
        string.Equals(Provider, "mongo", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(MongoConnectionString);

    public string SqlitePath(string service) => Path.Combine(DataDir, $"{service}.db");
}
