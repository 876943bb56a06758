"""The platform the services run on: database and unit of work, messaging (outbox,
relay, consumer), settings, authentication, observability, the runtime and the web
layer. It may use the domain kernel (`shared.kernel`); the kernel never uses it."""
