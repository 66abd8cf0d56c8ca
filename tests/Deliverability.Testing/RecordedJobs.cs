using System.Linq.Expressions;
using Deliverability.Core.Alerts;
using Deliverability.Core.Jobs;
using Deliverability.Core.Remediation;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;

namespace Deliverability.Testing;

/// <summary>A job client that keeps what it was asked to run, so a test can assert a use case asked for its consequences.</summary>
public sealed class RecordedJobs : IBackgroundJobClient, IJobScheduler
{
    private readonly List<Job> _created = [];

    public RecordedJobs()
    {
        DiagnosisRequests = new IpDiagnosisRequests(this);
        AlertRequests = new AlertRequests(this);
    }

    /// <summary>Diagnosis requests that land here instead of in Hangfire.</summary>
    public IpDiagnosisRequests DiagnosisRequests { get; }

    /// <summary>Requests to send recorded alert events that land here instead of in Hangfire.</summary>
    public AlertRequests AlertRequests { get; }

    public IReadOnlyList<Job> Created
    {
        get
        {
            lock (_created) return _created.ToList();
        }
    }

    /// <summary>The IPs a diagnosis refresh (<see cref="IpDiagnosisJob.RefreshAsync"/>) was asked for, in order.</summary>
    public IReadOnlyList<long> RefreshedIps => Created
        .Where(j => j.Type == typeof(IpDiagnosisJob) && j.Method.Name == nameof(IpDiagnosisJob.RefreshAsync))
        .Select(j => (long)j.Args[0]!).ToList();

    public string Create(Job job, IState state)
    {
        lock (_created) _created.Add(job);
        return _created.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task EnqueueAsync<TJob>(Expression<Func<TJob, Task>> run, CancellationToken ct) where TJob : notnull
    {
        Create(Job.FromExpression(run), new EnqueuedState());
        return Task.CompletedTask;
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
