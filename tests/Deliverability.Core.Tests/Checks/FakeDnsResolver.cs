using Deliverability.Core.Dns;

namespace Deliverability.Core.Tests.Checks;

/// <summary>An in-memory DNS: names not added answer NXDOMAIN; a name with other types answers NODATA; failures are explicit.</summary>
public sealed class FakeDnsResolver : IDnsResolver
{
    private readonly Dictionary<(string, DnsRecordKind), List<string>> _records = [];
    private readonly Dictionary<(string, DnsRecordKind), string> _failures = [];
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);

    public List<DnsQuestion> Questions { get; } = [];

    public FakeDnsResolver Add(string name, DnsRecordKind kind, params string[] values)
    {
        name = Key(name);
        _names.Add(name);
        if (!_records.TryGetValue((name, kind), out var list)) _records[(name, kind)] = list = [];
        list.AddRange(values);
        return this;
    }

    public FakeDnsResolver Txt(string name, params string[] values) => Add(name, DnsRecordKind.Txt, values);

    public FakeDnsResolver A(string name, params string[] values) => Add(name, DnsRecordKind.A, values);

    public FakeDnsResolver Aaaa(string name, params string[] values) => Add(name, DnsRecordKind.Aaaa, values);

    public FakeDnsResolver Mx(string name, params string[] values) => Add(name, DnsRecordKind.Mx, values);

    public FakeDnsResolver Ptr(string name, params string[] values) => Add(name, DnsRecordKind.Ptr, values);

    public FakeDnsResolver Fail(string name, DnsRecordKind kind, string error = "timeout")
    {
        _failures[(Key(name), kind)] = error;
        return this;
    }

    public Task<DnsAnswer> QueryAsync(DnsQuestion question, CancellationToken cancellationToken)
    {
        lock (Questions) Questions.Add(question);
        var name = Key(question.Name);
        if (_failures.TryGetValue((name, question.Kind), out var error)) return Task.FromResult(DnsAnswer.Failed(name, question.Kind, error));
        if (_records.TryGetValue((name, question.Kind), out var values)) return Task.FromResult(DnsAnswer.Found(name, question.Kind, values));
        return Task.FromResult(_names.Contains(name) ? DnsAnswer.NoData(name, question.Kind) : DnsAnswer.NxDomain(name, question.Kind));
    }

    private static string Key(string name) => name.TrimEnd('.').ToLowerInvariant();
}
