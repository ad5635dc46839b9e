/** What keeps an admin form from being sent, announced as an alert; nothing when there is none. */
export function FormProblemList({ problems }: { problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <ul role="alert" className="tv-form-problems" data-form-problems>
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}
