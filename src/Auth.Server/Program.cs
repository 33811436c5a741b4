// Placeholder until the auth-server host lands.
return 0;
