namespace Deliverability.Core.Tests.Bounces;

/// <summary>Which status and reply code a report gives when the local MTA's own status is only an umbrella (X.0.0, X.4.7).</summary>
public class StatusAndReplyTests
{
    [Theory]
    // Sendmail: the DSN says only "5.0.0" and the program's exit code; its transcript for the one recipient says 554 5.3.0.
    [InlineData("sendmail-program-exit.eml", "tickets@example.jp", "5.3.0", 554, "mailererror")]
    // The local MTA's expiry (4.4.7) wraps the remote server's last answer: that answer's code and status are reported.
    [InlineData("expired-wraps-remote.eml", "paula@example.net", "4.4.2", 421, "expired")]
    public void Parse_WhenTheLocalStatusIsAnUmbrella_ReportsTheMorePreciseOneOfTheSameReport(string fixture, string recipient, string status, int reply, string reason)
    {
        var result = Fixtures.Single(fixture);

        Assert.Equal(recipient, result.Recipient);
        Assert.Equal(status, result.Status);
        Assert.Equal(reply, result.ReplyCode);
        Assert.Equal(reason, result.Reason);
    }
}
