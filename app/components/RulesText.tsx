import type { RulesBlock } from "~/modules/internal-rules/internal-rules.rules";

/** The règlement intérieur's blocks as HTML; React escapes every text (no markup is read from it). */
export function RulesText({ blocks, headingLevel = 2 }: { blocks: RulesBlock[]; headingLevel?: 2 | 3 }) {
  const Title = headingLevel === 2 ? "h2" : "h3";
  const Subtitle = headingLevel === 2 ? "h3" : "h4";
  return (
    <div className="rules-text">
      {blocks.map((b, i) =>
        b.kind === "title" ? (
          <Title key={i}>{b.text}</Title>
        ) : b.kind === "subtitle" ? (
          <Subtitle key={i}>{b.text}</Subtitle>
        ) : b.kind === "list" ? (
          <ul key={i}>
            {b.items.map((item, j) => (
              <li key={j}>{item}</li>
            ))}
          </ul>
        ) : (
          <p key={i}>{b.text}</p>
        ),
      )}
    </div>
  );
}
