namespace TradeNet.Shared.Storage;

/// <summary>Section "Storage": SQLite files under DataDir by default; MongoDB when Provider is mongo (with a connection string).</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Provider { get; set; } = "sqlite";
    public string DataDir { get; set; } = "data";
    public string? MongoConnectionString { get; set; }

    /// <summary>How long consumed message ids are kept to recognise a redelivery (see <see cref="InboxRetention{TStore}"/>);
    /// zero or less keeps them forever.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The shortest inbox memory allowed: well past how long an outbox keeps events to hand over again
    /// (<see cref="OutboxRelay{TStore}.KeptFor"/>) and how long a broker takes to redeliver.</summary>
    public static readonly TimeSpan MinInboxRetention = TimeSpan.FromHours(24);

    /// <summary>True for MongoDB, false for SQLite. A provider it does not know, or mongo without a connection string,
    /// stops the service at start: falling back to a local SQLite file would make every replica keep its own data.</summary>
    public bool UseMongo => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => false,
        "mongo" when !string.IsNullOrWhiteSpace(MongoConnectionString) => true,
        "mongo" => throw new InvalidOperationException(
            "Storage:Provider is mongo but Storage:MongoConnectionString is not set (a local SQLite file is not a stand-in)."),
        _ => throw new InvalidOperationException($"Storage:Provider must be sqlite or mongo, not '{Provider}'."),
    };

    /// <summary>Section "Storage:Backups": scheduled backups and how many are kept (docs/operations.md, "Backups and restore").</summary>
    public BackupSchedulingOptions Backups { get; set; } = new();

    public string SqlitePath(string service) => Path.Combine(DataDir, $"{service}.db");
}

/// <summary>Section "Storage:Backups". Both off by default: a backup is a full copy of the data, so the disk it takes is the
/// operator's call.</summary>
public sealed class BackupSchedulingOptions
{
    /// <summary>How often the process takes a backup of its SQLite files, the first one period after start; unset or zero:
    /// never on its own (only through the routes).</summary>
    public TimeSpan? Every { get; set; }

    /// <summary>How many complete backups to keep: after each successful backup the oldest beyond this count are deleted.
    /// 0 (the default) keeps every backup.</summary>
    public int Keep { get; set; }

    /// <summary>The shortest period allowed: each backup holds every writer back while it copies, and copies every file whole.</summary>
    public static readonly TimeSpan MinEvery = TimeSpan.FromMinutes(1);

    public bool Scheduled => Every is { } every && every > TimeSpan.Zero;
}
