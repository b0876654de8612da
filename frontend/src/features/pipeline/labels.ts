import type { FormInstance } from 'antd';

import { ApiProblem, isApiProblem } from '../../api/problem';
import type { LostReason, PipelineStage, StageVisit } from '../../api/types';
import { translateIfExists } from '../../i18n';
import { applyProblemToForm, fieldMessage, problemMessage } from '../../lib/problems';

/** A stage's name in the UI language (Chinese unless English is chosen). */
export function stageName(stage: Pick<PipelineStage, 'name_zh' | 'name_en'>, language: string): string {
  return language === 'en' ? stage.name_en || stage.name_zh : stage.name_zh || stage.name_en;
}

export function visitStageName(visit: Pick<StageVisit, 'stage_name_zh' | 'stage_name_en'>, language: string): string {
  return language === 'en' ? visit.stage_name_en || visit.stage_name_zh : visit.stage_name_zh || visit.stage_name_en;
}

export function reasonLabel(reason: Pick<LostReason, 'label_zh' | 'label_en'>, language: string): string {
  return language === 'en' ? reason.label_en || reason.label_zh : reason.label_zh || reason.label_en;
}

/** Where "create contract" goes: the contracts screen, filled from the won deal. */
export function contractPath(dealId: string): string {
  return `/contracts/new?opportunity_id=${encodeURIComponent(dealId)}`;
}

/** Colour of a deal status / stage kind tag. */
export function kindColor(kind: string): string {
  return kind === 'won' ? 'green' : kind === 'lost' ? 'red' : 'blue';
}

/**
 * The message for a failed deal or pipeline call: the pipeline screens' own wording for their
 * codes (lost reason missing, stage not empty, ...), else the app-wide one.
 */
export function dealProblemMessage(error: unknown): string {
  if (isApiProblem(error)) {
    const own = translateIfExists(`deals.errors.${error.code}`);
    if (own !== null) return own;
  }
  return problemMessage(error);
}

const ITEM_FIELD = /^(?:body\.)?items\.(\d+)\.(\w+)$/;

/**
 * Field errors onto a deal form: line item errors (`body.items.2.unit_price`) onto that row's
 * control, the rest the usual way. True when some field got a message.
 */
export function applyDealProblem(form: FormInstance, error: unknown): boolean {
  if (!isApiProblem(error)) return false;
  const itemErrors = error.errors.filter((e) => ITEM_FIELD.test(e.field));
  const rest = error.errors.filter((e) => !ITEM_FIELD.test(e.field));
  form.setFields(
    itemErrors.map((e) => {
      const [, index, field] = ITEM_FIELD.exec(e.field)!;
      const message = /differs from the deal's currency/.test(e.message)
        ? (translateIfExists('deals.lines.currencyMismatch') ?? e.message)
        : fieldMessage(e.message);
      return { name: ['items', Number(index), field === 'currency' ? 'product_id' : field], errors: [message] };
    }),
  );
  const others = applyProblemToForm(form, new ApiProblem({ ...error, errors: rest }));
  return itemErrors.length > 0 || others;
}
