// Placeholder until the auth-client host lands.
return 0;
