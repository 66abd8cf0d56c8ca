using Deliverability.Core.Remediation;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Testing;

/// <summary>A job client that keeps what it was asked to run, so a test can assert a use case asked for its consequences.</summary>
public sealed class RecordedJobs : IBackgroundJobClient
{
    private readonly List<Job> _created = [];

    public RecordedJobs() =>
        DiagnosisRequests = new IpDiagnosisRequests(new ServiceCollection().AddSingleton<IBackgroundJobClient>(this).BuildServiceProvider());

    /// <summary>Diagnosis requests that land here instead of in Hangfire.</summary>
    public IpDiagnosisRequests DiagnosisRequests { get; }

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

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}
