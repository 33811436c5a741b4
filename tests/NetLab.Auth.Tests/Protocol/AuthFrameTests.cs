using System.Text;
using NetLab.Protocols.Auth;

namespace NetLab.Auth.Tests.Protocol;

public class AuthFrameTests
{
    public static TheoryData<AuthFrame> RoundTripFrames => new()
    {
        AuthFrame.Request(AuthOperation.Register, "alice@lab.test", "s3cret pass"),
        AuthFrame.Request(AuthOperation.Login, "o'hara@lab.test", "' OR '1'='1\"\\\n\u0000✓"),
        AuthFrame.Request(AuthOperation.ChangePassword, password: "old password", newPassword: "new password"),
        AuthFrame.Request(AuthOperation.WhoAmI),
        AuthFrame.Request(AuthOperation.Logout),
        AuthFrame.Request(AuthOperation.Ping),
        AuthFrame.Success(AuthOperation.Ping, "pong"),
        AuthFrame.Success(AuthOperation.Login, "logged in", new AuthUserInfo(7, "Alice@Lab.Test",
            DateTimeOffset.FromUnixTimeSeconds(1_800_000_000), DateTimeOffset.FromUnixTimeSeconds(1_800_000_100))),
        AuthFrame.Success(AuthOperation.Register, "registered", new AuthUserInfo(8, "b@lab.test", DateTimeOffset.FromUnixTimeSeconds(1), null)),
        AuthFrame.Failure(AuthOperation.Login, AuthErrors.Throttled, "too many failed logins", 42),
    };

    [Theory]
    [MemberData(nameof(RoundTripFrames))]
    public void ToArray_ThenRead_SameFrame(AuthFrame original)
    {
        byte[] wire = original.ToArray();

        Assert.Equal(AuthFrameStatus.Complete, AuthFrame.Read(wire, out var frame, out int bytesRead, out string? error));
        Assert.Null(error);
        Assert.Equal(wire.Length, bytesRead);
        Assert.Equal((byte)'\n', wire[^1]);
        Assert.Equal(1, wire.Count(b => b == (byte)'\n'));
        Assert.Equal(original.IsResponse, frame!.IsResponse);
        Assert.Equal(original.Operation, frame.Operation);
        Assert.Equal(original.Ok, frame.Ok);
        Assert.Equal(original.Email, frame.Email);
        Assert.Equal(original.Password, frame.Password);
        Assert.Equal(original.NewPassword, frame.NewPassword);
        Assert.Equal(original.Error, frame.Error);
        Assert.Equal(original.Message, frame.Message);
        Assert.Equal(original.User, frame.User);
        Assert.Equal(original.RetryAfterSeconds, frame.RetryAfterSeconds);
    }

    [Theory]
    [MemberData(nameof(RoundTripFrames))]
    public void Read_EveryTruncation_Incomplete(AuthFrame original)
    {
        byte[] wire = original.ToArray();
        for (int length = 0; length < wire.Length; length++)
        {
            Assert.Equal(AuthFrameStatus.Incomplete, AuthFrame.Read(wire.AsSpan(0, length), out var frame, out int bytesRead, out _));
            Assert.Null(frame);
            Assert.Equal(0, bytesRead);
        }
    }

    [Fact]
    public void Read_DocumentedExample_Decodes()
    {
        byte[] wire = "NLA/1 {\"op\":\"LOGIN\",\"email\":\"alice@lab.test\",\"password\":\"correct horse\"}\r\nNLA/1 {\"op\":\"PING\"}\n"u8.ToArray();

        Assert.True(AuthFrame.TryRead(wire, out var login, out int first));
        Assert.True(AuthFrame.TryRead(wire.AsSpan(first), out var ping, out _));
        Assert.Equal(AuthOperation.Login, login!.Operation);
        Assert.False(login.IsResponse);
        Assert.Equal("alice@lab.test", login.Email);
        Assert.Equal("correct horse", login.Password);
        Assert.Equal(AuthOperation.Ping, ping!.Operation);
        Assert.Equal("request LOGIN email=alice@lab.test password=***", login.ToString());
        Assert.Contains("password=correct horse", login.Describe(showPasswords: true), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnknownMembersAndOp_KeptAsUnknown()
    {
        byte[] wire = "NLA/1 {\"op\":\"DELETE\",\"future\":[1,{\"x\":2}],\"email\":\"a@b.c\"}\n"u8.ToArray();

        Assert.True(AuthFrame.TryRead(wire, out var frame, out _));
        Assert.Equal(AuthOperation.Unknown, frame!.Operation);
        Assert.Equal("DELETE", frame.OperationName);
        Assert.Equal("a@b.c", frame.Email);
    }

    [Theory]
    [InlineData("hello\n")]
    [InlineData("NLA/1{\"op\":\"PING\"}\n")]
    [InlineData("NLA/ {\"op\":\"PING\"}\n")]
    [InlineData("NLA/1 \n")]
    [InlineData("NLA/1 [\"op\"]\n")]
    [InlineData("NLA/1 {\"op\":\"PING\"\n")]
    [InlineData("NLA/1 {\"op\":\"PING\"} trailing\n")]
    [InlineData("NLA/1 {\"email\":\"a@b.c\"}\n")]
    [InlineData("NLA/1 {\"op\":5}\n")]
    [InlineData("NLA/1 {\"op\":\"LOGIN\",\"ok\":\"yes\"}\n")]
    [InlineData("NLA/1 {\"op\":\"LOGIN\",\"retry_after\":1e99}\n")]
    [InlineData("NLA/1 {\"op\":\"LOGIN\",\"user\":[]}\n")]
    [InlineData("NLA/1 {\"op\":\"PI\u0001NG\"}\n")]
    [InlineData("NLA/1 {\"a\":{\"b\":{\"c\":{\"d\":{\"e\":1}}}},\"op\":\"PING\"}\n")]
    public void Read_MalformedLine_MalformedWithReasonAndWholeLineConsumed(string text)
    {
        byte[] wire = Encoding.UTF8.GetBytes(text);

        Assert.Equal(AuthFrameStatus.Malformed, AuthFrame.Read(wire, out var frame, out int bytesRead, out string? error));
        Assert.Null(frame);
        Assert.Equal(wire.Length, bytesRead);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Read_BinaryGarbage_MalformedNotThrow()
    {
        var random = new Random(7);
        for (int i = 0; i < 500; i++)
        {
            byte[] garbage = new byte[random.Next(10, 300)];
            random.NextBytes(garbage);
            garbage[^1] = (byte)'\n';
            if (i % 2 == 0)
            {
                "NLA/1 {"u8.CopyTo(garbage);
            }
            var status = AuthFrame.Read(garbage, out _, out int bytesRead, out _);
            Assert.True(status is AuthFrameStatus.Malformed or AuthFrameStatus.UnsupportedVersion, $"garbage {i} gave {status}");
            Assert.InRange(bytesRead, 1, garbage.Length);
        }
    }

    [Fact]
    public void Read_InvalidUtf8InString_Malformed()
    {
        byte[] wire = [.. "NLA/1 {\"op\":\"LOGIN\",\"email\":\""u8, 0xC3, 0x28, .. "\"}\n"u8];
        Assert.Equal(AuthFrameStatus.Malformed, AuthFrame.Read(wire, out _, out _, out _));
    }

    [Fact]
    public void Read_OtherVersion_UnsupportedVersion()
    {
        byte[] wire = "NLA/2 {\"op\":\"PING\"}\n"u8.ToArray();
        Assert.Equal(AuthFrameStatus.UnsupportedVersion, AuthFrame.Read(wire, out _, out int bytesRead, out string? error));
        Assert.Equal(wire.Length, bytesRead);
        Assert.Contains("NLA/1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MaxLengthWithoutLineEnd_TooLong_OneLessIncomplete()
    {
        byte[] wire = new byte[AuthProtocol.MaxFrameLength];
        wire.AsSpan().Fill((byte)'x');

        Assert.Equal(AuthFrameStatus.TooLong, AuthFrame.Read(wire, out _, out int bytesRead, out _));
        Assert.Equal(0, bytesRead);
        Assert.Equal(AuthFrameStatus.Incomplete, AuthFrame.Read(wire.AsSpan(1), out _, out _, out _));
    }

    [Fact]
    public void Read_FrameOfExactlyMaxLength_Complete()
    {
        string prefix = "NLA/1 {\"op\":\"PING\",\"pad\":\"";
        string suffix = "\"}\n";
        string text = prefix + new string('p', AuthProtocol.MaxFrameLength - prefix.Length - suffix.Length) + suffix;
        byte[] wire = Encoding.ASCII.GetBytes(text);

        Assert.Equal(AuthProtocol.MaxFrameLength, wire.Length);
        Assert.True(AuthFrame.TryRead(wire, out _, out int bytesRead));
        Assert.Equal(wire.Length, bytesRead);
    }
}
