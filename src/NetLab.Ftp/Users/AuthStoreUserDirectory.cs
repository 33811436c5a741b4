using NetLab.Auth.Passwords;
using NetLab.Auth.Storage;

namespace NetLab.Ftp.Users;

/// <summary>Accounts registered through auth-server: the FTP user name is the e-mail address and the
/// password is checked against the stored PBKDF2 record.</summary>
public sealed class AuthStoreUserDirectory(IUserStore store) : IFtpUserDirectory, IAsyncDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public static async Task<AuthStoreUserDirectory> OpenAsync(string spec, CancellationToken cancellationToken)
        => new(await UserStoreFactory.OpenAsync(spec, cancellationToken).ConfigureAwait(false));

    public async ValueTask<bool?> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        // One store connection is shared by all sessions; the stores are not documented as thread-safe.
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        UserRecord? user;
        try
        {
            user = await store.FindByEmailAsync(userName, cancellationToken).ConfigureAwait(false);
        }
        catch (UserStoreUnavailableException)
        {
            // Database down: nobody from it can log in now, which is a failed login, not a crash.
            return false;
        }
        finally
        {
            _lock.Release();
        }
        return user is null ? null : PasswordHasher.Verify(password, user.PasswordHash);
    }

    public async ValueTask DisposeAsync()
    {
        await store.DisposeAsync().ConfigureAwait(false);
        _lock.Dispose();
    }
}
