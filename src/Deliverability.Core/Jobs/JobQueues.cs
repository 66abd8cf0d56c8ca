namespace Deliverability.Core.Jobs;

/// <summary>
/// The Hangfire queues, one definition each. Hangfire.PostgreSql serves the queues of one server in alphabetical order
/// (ORDER BY queue among unfetched jobs), which the names use: "check-now" sorts before "checks".
/// </summary>
public static class JobQueues
{
    /// <summary>Diagnosis refreshes and the hourly diagnosis of every IP.</summary>
    public const string Default = "default";

    /// <summary>
    /// The hourly refresh and full re-diagnosis, in chunks of IPs: apart from the per-IP diagnoses that follow a change
    /// (<see cref="Default"/>, served first), so a re-diagnosis of every IP never delays the one a user just caused.
    /// </summary>
    public const string Diagnosis = "diagnosis";

    /// <summary>Reading uploaded batches and re-parsing stored messages.</summary>
    public const string Ingest = "ingest";

    /// <summary>
    /// Batches taken over after their run died or their job was lost. Served by a server of its own with few workers
    /// (Jobs:ResumeWorkerCount), so that however many batches a restart resumes, a new upload finds a free ingest worker.
    /// </summary>
    public const string IngestResumed = "ingest-resumed";

    /// <summary>Scheduled DNS checks: the fan-out over every IP and its one job per IP.</summary>
    public const string Checks = "checks";

    /// <summary>
    /// Checks a person asked for ("Check now", the API): served by the check workers before any scheduled check, and by a
    /// worker of its own (Jobs:CheckNowWorkerCount) that scheduled checks never take, so a fan-out over thousands of IPs
    /// never stands between a user and the answer.
    /// </summary>
    public const string ChecksNow = "check-now";

    /// <summary>Mailbox polls and the minute's look for mailboxes that are due.</summary>
    public const string Mailboxes = "mailboxes";
    /// <summary>Alert deliveries (one job per alert and channel) and the minute sweep that stacks events into alerts.</summary>
    public const string Alerts = "alerts";
}
