/** The widget could not load its data from the host: say so and offer a retry. */
export function ErrorScreen({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <section className="screen notice" role="alert">
      <h1>Something went wrong</h1>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="primary" onClick={onRetry}>
          Retry
        </button>
      )}
    </section>
  );
}
