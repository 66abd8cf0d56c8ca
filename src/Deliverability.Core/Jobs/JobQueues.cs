namespace Deliverability.Core.Jobs;

/// <summary>
/// The Hangfire queues, one definition each. Hangfire.PostgreSql serves the queues of one server in alphabetical order, so
/// work that must never wait behind another kind gets a server of its own (see the web app's JobsSetup).
/// </summary>
public static class JobQueues
{
    /// <summary>Diagnosis refreshes and the hourly diagnosis of every IP.</summary>
    public const string Default = "default";

    /// <summary>Reading uploaded batches and re-parsing stored messages.</summary>
    public const string Ingest = "ingest";

    /// <summary>Scheduled DNS checks: the fan-out over every IP and its one job per IP.</summary>
    public const string Checks = "checks";

    /// <summary>Checks a person asked for ("Check now", the API): served by their own workers, never behind a scheduled fan-out.</summary>
    public const string ChecksNow = "checks-now";
}
