#include "row_button_delegate.hpp"

#include <QApplication>
#include <QMouseEvent>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionButton>

namespace nftterm::ui {

QRect RowButtonDelegate::buttonRect(const QStyleOptionViewItem& option) const
{
    return option.rect.adjusted(3, 2, -3, -2);
}

void RowButtonDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QString text = index.data().toString();
    if (text.isEmpty()) return QStyledItemDelegate::paint(painter, option, index);
    // The row's selection and alternate colours behind the button.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    QStyleOptionButton button;
    button.rect = buttonRect(option);
    button.text = text;
    button.state = QStyle::State_Enabled | (m_pressed == index ? QStyle::State_Sunken : QStyle::State_Raised);
    style->drawControl(QStyle::CE_PushButton, &button, painter, option.widget);
}

QSize RowButtonDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), option.fontMetrics.horizontalAdvance(index.data().toString()) + 24));
    return size;
}

bool RowButtonDelegate::editorEvent(QEvent* event, QAbstractItemModel* model, const QStyleOptionViewItem& option, const QModelIndex& index)
{
    if (index.data().toString().isEmpty()) return QStyledItemDelegate::editorEvent(event, model, option, index);
    const auto* mouse = dynamic_cast<QMouseEvent*>(event);
    if (!mouse || mouse->button() != Qt::LeftButton || !buttonRect(option).contains(mouse->position().toPoint()))
        return QStyledItemDelegate::editorEvent(event, model, option, index);
    if (event->type() == QEvent::MouseButtonPress) {
        m_pressed = index;
        return true;
    }
    if (event->type() == QEvent::MouseButtonRelease) {
        const bool was_pressed = m_pressed == index;
        m_pressed = QPersistentModelIndex();
        if (was_pressed) Q_EMIT clicked(index);
        return true;
    }
    return QStyledItemDelegate::editorEvent(event, model, option, index);
}

}  // namespace nftterm::ui
