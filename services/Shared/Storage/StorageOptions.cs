using Microsoft.Extensions.Options;
using MongoDB.Driver;

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

    /// <summary>True for MongoDB, false for SQLite. A provider it does not know, or mongo without a connection string or
    /// with one the driver cannot read, stops the service at start: falling back to a local SQLite file would make every
    /// replica keep its own data. Refused as a setting (<see cref="OptionsValidationException"/>), so the host ends with
    /// the reason and exit 2 (<see cref="Hosting.StartFailures"/>), not a stack dump and an abort (134).</summary>
    public bool UseMongo => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => false,
        "mongo" when !string.IsNullOrWhiteSpace(MongoConnectionString) => IsConnectionString(MongoConnectionString) ? true : throw Refused(
            "Storage:MongoConnectionString is not a MongoDB connection string (mongodb://host[:port]/… or mongodb+srv://host/…; "
            + "the value is not repeated here, since it may hold a password)."),
        "mongo" => throw Refused(
            "Storage:Provider is mongo but Storage:MongoConnectionString is not set (a local SQLite file is not a stand-in)."),
        _ => throw Refused($"Storage:Provider must be sqlite or mongo, not '{Provider}'."),
    };

    /// <summary>Read as the driver reads it, without connecting: its own refusal names the whole string, password included.</summary>
    private static bool IsConnectionString(string text)
    {
        try
        {
            _ = new MongoUrl(text);
            return true;
        }
        catch (Exception e) when (e is MongoConfigurationException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static OptionsValidationException Refused(string reason) => new(Section, typeof(StorageOptions), [reason]);

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
