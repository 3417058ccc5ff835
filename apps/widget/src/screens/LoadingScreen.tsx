export function LoadingScreen() {
  return (
    <section className="screen loading" role="status">
      <span className="spinner large" aria-hidden="true" />
      <p>Loading sign-in…</p>
    </section>
  );
}
