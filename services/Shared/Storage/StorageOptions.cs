namespace TradeNet.Shared.Storage;

/// <summary>Section "Storage": SQLite files under DataDir by default; MongoDB when a connection string is given.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Provider { get; set; } = "sqlite";
    public string DataDir { get; set; } = "data";
    public string? MongoConnectionString { get; set; }

    /// <summary>How long consumed message ids are kept to recognise a redelivery (see <see cref="InboxRetention{TStore}"/>);
    /// zero or less keeps them forever.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(14);

    public bool UseMongo =>
        string.Equals(Provider, "mongo", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(MongoConnectionString);

    public string SqlitePath(string service) => Path.Combine(DataDir, $"{service}.db");
}
